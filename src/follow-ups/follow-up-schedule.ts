/** Adds whole months to a YYYY-MM-DD date, keeping the day where the month has it (else its last day). */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

/**
 * The dates a plan's follow-up rounds fall due: every `intervalMonths` from acceptance until the
 * last goal's due date. A plan whose goals fall due before the first interval still gets one round,
 * so every accepted plan is followed up at least once.
 */
export function followUpDates(acceptedOn: string, intervalMonths: number, lastGoalDue: string): string[] {
  const dates: string[] = [];
  for (let step = 1; ; step++) {
    const due = addMonths(acceptedOn, step * intervalMonths);
    if (due > lastGoalDue) break;
    dates.push(due);
  }
  return dates.length ? dates : [addMonths(acceptedOn, intervalMonths)];
}
