/** The four principals (huvudmän) of every KUR effort. */
export enum Principal {
  /** Försäkringskassan */
  FK = 'FK',
  /** Arbetsförmedlingen */
  AF = 'AF',
  /** the municipality (kommunen) */
  MUNICIPALITY = 'MUNICIPALITY',
  /** the region / county council (regionen, landstinget) */
  REGION = 'REGION',
}

export const ALL_PRINCIPALS: readonly Principal[] = Object.values(Principal);

export function missingPrincipals(present: Iterable<Principal>): Principal[] {
  const seen = new Set(present);
  return ALL_PRINCIPALS.filter((principal) => !seen.has(principal));
}
