/** RFC 9457 problem details, as every error leaves the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
  rule?: string;
  [extension: string]: unknown;
}

/** What the person reads for each problem type the API answers with (the API's own text is English). */
const MESSAGES: Record<string, string> = {
  validation: 'Uppgifterna kunde inte sparas. Rätta fälten som är markerade.',
  'not-found': 'Det du söker finns inte, eller så har du inte behörighet att se det.',
  conflict: 'Ändringen krockar med något som redan har hänt. Ladda om sidan och försök igen.',
  'precondition-failed': 'Någon annan har ändrat uppgifterna sedan du öppnade sidan. Ladda om och försök igen.',
  'precondition-required': 'Sidan behöver laddas om innan ändringen kan sparas.',
  contention: 'Tjänsten är hårt belastad just nu. Vänta en stund och försök igen.',
  csrf: 'Din session behöver förnyas. Ladda om sidan och försök igen.',
  forbidden: 'Du har inte behörighet att göra det här.',
  'no-role': 'Du saknar roll i tjänsten. Kontakta en nationell administratör.',
  'rate-limited': 'För många försök på kort tid. Vänta en stund och försök igen.',
  internal: 'Något gick fel i tjänsten. Försök igen om en stund; kvarstår felet, kontakta support och ange felkoden.',
};

/** KUR rules (DESIGN.md) the API enforces, as the person reads them. */
const RULES: Record<string, string> = {
  ACTIVE_ASSOCIATION: 'Samordningsförbundet är inte aktivt.',
  AREA_OPEN: 'Området är redan avslutat.',
  FOLLOW_UP_COMPLETE: 'Rapporten måste ta upp varje mål och åtgärd i planen.',
  GRANT_LIMIT: 'Beloppet överskrider vad området kan beviljas.',
  KNOWN_COUNTY: 'Länet är okänt.',
  KNOWN_MUNICIPALITY: 'Kommunen är okänd.',
  MEMBERSHIP_PERIOD: 'Medlemskapets period krockar med ett annat medlemskap.',
  SIGN_LATEST_REVISION: 'Bara den senaste versionen av planen kan undertecknas.',
  STATUS_TRANSITION: 'Ändringen är inte tillåten i nuvarande status.',
};

export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }

  /** A sentence in Swedish for the top of the page. */
  get summary(): string {
    const slug = this.problem.type.replace(/^\/problems\//, '');
    const rule = this.problem.rule && RULES[this.problem.rule];
    const errorId = typeof this.problem.errorId === 'string' ? ` (felkod ${this.problem.errorId})` : '';
    return (rule ?? MESSAGES[slug] ?? `Något gick fel (${this.problem.status}).`) + errorId;
  }

  /** Field name → what is wrong with it, for messages next to the fields. */
  get fieldErrors(): Record<string, string> {
    return Object.fromEntries((this.problem.errors ?? []).map((error) => [error.field, 'Kontrollera uppgiften.']));
  }
}

/** The Swedish sentence for any failure: a problem from the API, or the network. */
export function describeFailure(error: unknown): string {
  if (error instanceof ProblemError) return error.summary;
  return 'Tjänsten gick inte att nå. Kontrollera anslutningen och försök igen.';
}
