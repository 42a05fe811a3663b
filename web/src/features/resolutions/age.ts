const DAY_MS = 24 * 60 * 60 * 1000;

/** How long a case has waited, as a person says it ("12 dagar"). */
export function waited(since: string, now = Date.now()): string {
  const days = Math.floor((now - new Date(since).getTime()) / DAY_MS);
  if (days < 1) return 'Mindre än en dag';
  return days === 1 ? '1 dag' : `${days} dagar`;
}

/** The age filter's choices: cases that have waited at least this many days. */
export const AGE_CHOICES: { days: number | null; label: string }[] = [
  { days: null, label: 'Oavsett hur länge' },
  { days: 7, label: 'Minst en vecka' },
  { days: 30, label: 'Minst 30 dagar' },
  { days: 90, label: 'Minst 90 dagar' },
  { days: 365, label: 'Minst ett år' },
];
