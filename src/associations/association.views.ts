import { ApiProperty } from '@nestjs/swagger';
import { DATE, DATE_TIME, VersionedView } from '../core/http/api-docs';
import { CoordinationAssociation } from './coordination-association.entity';
import { Membership } from './membership.entity';

export class ChiefView {
  @ApiProperty({ example: 'Anna Andersson' })
  name: string;

  @ApiProperty({ type: String, nullable: true, example: 'forbundschef@example.org' })
  email: string | null;
}

export class AssociationEndpointView {
  @ApiProperty({ example: 'https://finsam.example.org/kur/handovers' })
  url: string;

  @ApiProperty({ description: 'The signing secret itself is never shown' })
  secretSet: boolean;

  @ApiProperty({ ...DATE_TIME, nullable: true, description: 'Set when the endpoint answered 410 Gone' })
  disabledAt: Date | null;
}

export class AssociationView extends VersionedView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: "The registry's id (organisation number)", example: '222000-1234' })
  externalId: string;

  @ApiProperty({ example: 'Samordningsförbundet Stockholms stad' })
  name: string;

  @ApiProperty({ example: '01' })
  countyCode: string;

  @ApiProperty({ type: ChiefView, nullable: true })
  chief: ChiefView | null;

  @ApiProperty({ type: AssociationEndpointView, nullable: true, description: 'null: the association pulls its feed' })
  endpoint: AssociationEndpointView | null;

  @ApiProperty()
  active: boolean;

  @ApiProperty({ type: [String], example: ['0180'] })
  memberMunicipalityCodes: string[];
}

export class MembershipView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  associationId: string;

  @ApiProperty({ example: '0180' })
  municipalityCode: string;

  @ApiProperty({ example: 'Stockholm' })
  municipalityName: string;

  @ApiProperty(DATE)
  validFrom: string;

  @ApiProperty({ ...DATE, nullable: true, description: 'null: a current member' })
  validTo: string | null;
}

/** The association as the API shows it: the signing secret only as "set". */
export const toAssociationView = (
  association: CoordinationAssociation,
  memberMunicipalityCodes: string[],
): AssociationView => ({
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

export const toMembershipView = (membership: Membership, names: Map<string, string>): MembershipView => ({
  id: membership.id,
  associationId: membership.associationId,
  municipalityCode: membership.municipalityCode,
  municipalityName: names.get(membership.municipalityCode) ?? membership.municipalityCode,
  validFrom: membership.validFrom,
  validTo: membership.validTo,
});
