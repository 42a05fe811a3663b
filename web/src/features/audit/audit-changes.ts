/** The changes an audit event stores ({field: [before, after]}, or plain facts), as short Swedish lines. */
const FIELDS: Record<string, string> = {
  name: 'namn',
  status: 'status',
  email: 'e-post',
  kind: 'typ',
  grant: 'roll',
  revision: 'version',
  principal: 'huvudman',
  municipalityCode: 'kommunkod',
  endpointUrl: 'mottagaradress',
  endpointSecret: 'signeringsnyckel',
  endpoint: 'mottagare',
  decision: 'beslut',
  reason: 'motivering',
  resolution: 'beslut',
  associationId: 'samordningsförbund',
  grantedSek: 'beviljat belopp',
  active: 'aktivt',
  chief: 'förbundschef',
};

const MAX_TEXT = 120;
/** A created thing records all its fields; the table shows the first few and says how many more. */
const MAX_LINES = 5;

function show(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? 'ja' : 'nej';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

export function changeLines(changes: Record<string, unknown>): string[] {
  const lines = Object.entries(changes).map(([field, value]) => {
    const label = FIELDS[field] ?? field;
    if (Array.isArray(value) && value.length === 2) return `${label}: ${show(value[0])} → ${show(value[1])}`;
    return `${label}: ${show(value)}`;
  });
  if (lines.length <= MAX_LINES) return lines;
  return [...lines.slice(0, MAX_LINES - 1), `och ${lines.length - MAX_LINES + 1} uppgifter till`];
}
