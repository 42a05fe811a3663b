/** Today's date (YYYY-MM-DD) in Sweden, where memberships and handovers are dated. */
export function today(now: Date = new Date()): string {
  return now.toLocaleDateString('sv-SE', { timeZone: 'Europe/Stockholm' });
}
