/** One association as the Finsam registry describes it (see README: registry feed format). */
export interface RegistryRecord {
  externalId: string;
  name: string;
  countyCode: string;
  chief: { name: string; email: string } | null;
  endpoint: { url: string; secret: string } | null;
  memberMunicipalityCodes: string[];
}

/** What applying registry records changed. */
export interface RegistryChanges {
  inserted: number;
  updated: number;
  unchanged: number;
  joined: { associationId: string; municipalityCode: string }[];
  left: { associationId: string; municipalityCode: string }[];
}
