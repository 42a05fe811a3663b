import { DeliveryAttempt } from './delivery-attempt.entity';
import { Handover } from './handover.entity';

/** A handover as the API shows it; a direct recipient's endpoint secret only as "set". */
export const toHandoverView = (handover: Handover, options: { withPackage?: boolean } = {}) => ({
  id: handover.id,
  areaId: handover.areaId,
  revision: handover.revision,
  status: handover.status,
  recipient: {
    type: handover.recipientType,
    associationId: handover.associationId,
    municipalityCode: handover.recipientMunicipalityCode,
    ...(handover.directRecipient
      ? {
          contactName: handover.directRecipient.contactName,
          contactEmail: handover.directRecipient.contactEmail,
          endpoint: handover.directRecipient.endpointUrl
            ? {
                url: handover.directRecipient.endpointUrl,
                secretSet: handover.directRecipient.endpointSecretEncrypted !== null,
              }
            : null,
        }
      : {}),
  },
  municipalityCodes: handover.municipalityCodes,
  deliveryId: handover.deliveryId,
  deliveredAt: handover.deliveredAt,
  decisionReason: handover.decisionReason,
  decidedAt: handover.decidedAt,
  lastError: handover.lastError,
  supersededById: handover.supersededById,
  version: handover.version,
  createdAt: handover.createdAt,
  updatedAt: handover.updatedAt,
  ...(options.withPackage ? { package: handover.package } : {}),
});

export const toAttemptView = (attempt: DeliveryAttempt) => ({
  attemptNumber: attempt.attemptNumber,
  at: attempt.createdAt,
  url: attempt.url,
  httpStatus: attempt.httpStatus,
  errorClass: attempt.errorClass,
  latencyMs: attempt.latencyMs,
  responseExcerpt: attempt.responseExcerpt,
  outcome: attempt.outcome,
});
