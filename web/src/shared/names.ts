/** The codes the API speaks, as the people who use the app say them (DESIGN.md's glossary). */
const NAMES: Record<string, Record<string, string>> = {
  role: {
    ADMIN: 'nationell administratör',
    COORDINATOR: 'samordnare',
    ASSOCIATION_CHIEF: 'förbundschef',
    SERVICE: 'system',
  },
  handoverStatus: {
    PENDING_RESOLUTION: 'Väntar på beslut',
    READY: 'Klar att skicka',
    AWAITING_RECIPIENT: 'Väntar på mottagare',
    DELIVERED: 'Levererad',
    ACCEPTED: 'Accepterad',
    DECLINED: 'Avböjd',
    FAILED: 'Leverans misslyckades',
    WAIVED: 'Avskriven',
  },
  followUpStatus: { SCHEDULED: 'Planerad', DUE: 'Att rapportera', OVERDUE: 'Försenad', SUBMITTED: 'Rapporterad' },
  goalStatus: {
    ON_TRACK: 'Enligt plan',
    AT_RISK: 'I riskzonen',
    ACHIEVED: 'Uppnått',
    NOT_ACHIEVED: 'Inte uppnått',
    ABANDONED: 'Avbrutet',
  },
  principal: { FK: 'Försäkringskassan', AF: 'Arbetsförmedlingen', MUNICIPALITY: 'Kommunen', REGION: 'Regionen' },
  managementLevel: { TOP: 'Högsta ledning', MIDDLE: 'Mellanchefer', OPERATIONAL: 'Verksamhetsnivå' },
  activityType: { KNOWLEDGE_INITIATIVE: 'Gemensam kunskapssatsning', COOPERATION_PLAN: 'Plan för samarbete' },
  activityStatus: { PLANNED: 'Planerad', IN_PROGRESS: 'Pågår', COMPLETED: 'Genomförd', CANCELLED: 'Inställd' },
  sessionFormat: {
    LECTURE: 'Föreläsning',
    WORKSHOP: 'Workshop',
    THEME_DAY: 'Temadag',
    CONFERENCE: 'Konferens',
    SEMINAR: 'Seminarium',
    CASE_DISCUSSION: 'Ärendediskussion',
    MEETING: 'Möte',
  },
  hiredRole: { LECTURER: 'Föreläsare', MODERATOR: 'Moderator', PROCESS_LEADER: 'Processledare' },
  planKind: { COOPERATION: 'Samverkansplan', COMPETENCE_DEVELOPMENT: 'Kompetens- och utvecklingsplan' },
  planStatus: { DRAFT: 'Utkast', AGREED: 'Överenskommen' },
  resolution: {
    ASSIGN_ASSOCIATION: 'Tilldelad samordningsförbund',
    DIRECT_TO_MUNICIPALITY: 'Direkt till kommunen',
    WAIVED: 'Avskriven',
  },
  resolutionReason: { NO_ASSOCIATION: 'Kommunen ingår inte i något förbund', DECLINED: 'Förbundet avböjde' },
  syncKind: {
    REGISTRY: 'Förbundsregistret',
    PRIO: 'PRIO-inventeringar',
    HANDOVER_SWEEP: 'Genomgång av överlämningar',
    FOLLOW_UP: 'Uppföljningar',
  },
  syncStatus: {
    QUEUED: 'I kö',
    RUNNING: 'Pågår',
    SUCCEEDED: 'Klar',
    PARTIAL: 'Delvis klar',
    FAILED: 'Misslyckades',
  },
  region: { NORD: 'Nord', SYD: 'Syd', VAST: 'Väst', MITT: 'Mitt', STOCKHOLM: 'Stockholm' },
  readiness: { PASS: 'Uppfyllt', WARN: 'Varning' },
  deliveryOutcome: { DELIVERED: 'Levererad', RETRY: 'Nytt försök planerat', FAILED: 'Misslyckades' },
  recipientType: { ASSOCIATION: 'Samordningsförbund', MUNICIPALITY: 'Kommunen direkt' },
  caseStatus: { OPEN: 'Väntar på beslut', RESOLVED: 'Avgjort' },
};

export type NameKind = keyof typeof NAMES;

/** The Swedish name of a code; an unknown code is shown as it is rather than hidden. */
export function nameOf(kind: NameKind, code: string | null | undefined): string {
  if (!code) return '–';
  return NAMES[kind]?.[code] ?? code;
}

export const roleName = (role: string): string => nameOf('role', role);
