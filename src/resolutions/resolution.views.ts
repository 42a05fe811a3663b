import { ResolutionCase } from './resolution-case.entity';

/** A case as administrators see it; a direct endpoint's secret only as "set". */
export const toResolutionCaseView = (found: ResolutionCase) => {
  const { endpointSecretEncrypted, ...detail } = found.resolutionDetail ?? {};
  return {
    id: found.id,
    handoverId: found.handoverId,
    municipalityCode: found.municipalityCode,
    countyCode: found.countyCode,
    reason: found.reason,
    reasonDetail: found.reasonDetail,
    status: found.status,
    resolution: found.resolution,
    resolutionDetail: found.resolutionDetail
      ? { ...detail, ...(endpointSecretEncrypted ? { secretSet: true } : {}) }
      : null,
    resolvedBy: found.resolvedBy,
    resolvedAt: found.resolvedAt,
    createdAt: found.createdAt,
    version: found.version,
  };
};
