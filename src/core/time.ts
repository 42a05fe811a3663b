// One formatter for the process: building it (what toLocaleDateString does on every call) costs far more than formatting.
const SWEDISH_DATE = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Europe/Stockholm',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date (YYYY-MM-DD) in Sweden, where memberships and handovers are dated. */
export function today(now: Date = new Date()): string {
  return SWEDISH_DATE.format(now);
}
