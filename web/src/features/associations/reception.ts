import type { components } from '../../api/generated';

type Association = components['schemas']['AssociationView'];

/** How the association receives handovers, in a few words. */
export function receptionOf(association: Association): string {
  if (!association.endpoint) return 'Hämtar själv (flöde)';
  if (association.endpoint.disabledAt) return 'Mottagaradressen är avstängd';
  if (!association.endpoint.secretSet) return 'Mottagaradress utan signeringsnyckel';
  return 'Mottagaradress';
}
