import type { components } from '../api/generated';

type Handover = components['schemas']['HandoverWithPackageView'];

/** Who receives a handover, as a person says it: the association, or "Ekerö kommun (the contact)". */
export function recipientName(handover: Handover, fallback = 'mottagaren'): string {
  const recipient = handover.package?.recipient;
  if (!recipient) return fallback;
  if (recipient.type !== 'MUNICIPALITY') return recipient.name;
  const municipality = handover.package?.municipalities.find((row) => row.code === recipient.municipalityCode);
  return `${municipality?.name ?? recipient.municipalityCode} kommun (${recipient.name})`;
}
