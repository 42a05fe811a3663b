import { CoordinationAssociation } from './coordination-association.entity';
import { Membership } from './membership.entity';

/** The association as the API shows it: the signing secret only as "set". */
export const toAssociationView = (association: CoordinationAssociation, memberMunicipalityCodes: string[]) => ({
  id: association.id,
  externalId: association.externalId,
  name: association.name,
  countyCode: association.countyCode,
  chief: association.chiefName ? { name: association.chiefName, email: association.chiefEmail } : null,
  endpoint: association.endpointUrl
    ? {
        url: association.endpointUrl,
        secretSet: association.endpointSecretEncrypted !== null,
        disabledAt: association.endpointDisabledAt,
      }
    : null,
  active: association.active,
  memberMunicipalityCodes,
  version: association.version,
  createdAt: association.createdAt,
  updatedAt: association.updatedAt,
});

export const toMembershipView = (membership: Membership) => ({
  id: membership.id,
  associationId: membership.associationId,
  municipalityCode: membership.municipalityCode,
  validFrom: membership.validFrom,
  validTo: membership.validTo,
});
