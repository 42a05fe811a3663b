import { today } from '../src/core/time';
import { addMonths } from '../src/follow-ups/follow-up-schedule';
import { AssociationReceiver } from '../test/fakes/association-receiver';
import { waitFor } from '../test/support/wait';

/** The demo's client side: it plays the administrators and coordinators through the public API. */
export interface DemoClient {
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ body: T; etag: string | null }>;
  all<T = any>(path: string): Promise<T[]>;
}

export function client(base: string, token: string): DemoClient {
  const call: DemoClient['call'] = async (method, path, body, headers = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return { body: (await response.json()) as never, etag: response.headers.get('etag') };
  };
  return {
    call,
    all: async <T>(path: string): Promise<T[]> => {
      const items: T[] = [];
      let cursor: string | null = null;
      do {
        const separator = path.includes('?') ? '&' : '?';
        const { body }: { body: { items: T[]; nextCursor: string | null } } = await call(
          'GET',
          `${path}${separator}limit=200${cursor ? `&cursor=${cursor}` : ''}`,
        );
        items.push(...body.items);
        cursor = body.nextCursor;
      } while (cursor);
      return items;
    },
  };
}

const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];

/** Clearly labelled demo content: the KUR 2 sources contain no plan texts. */
const DEMO_PLAN = {
  targetGroup: 'DEMODATA: personer med psykisk ohälsa som står långt från arbetsmarknaden',
  needsAnalysis: { summary: 'DEMODATA: behov enligt kommunernas PRIO-inventering', prioReferences: [] },
  goals: [
    {
      statement: 'DEMODATA: fler i sysselsättning',
      indicator: 'Andel i arbete eller studier',
      baseline: 'okänd',
      target: '+10 %',
      dueDate: addMonths(today(), 13),
    },
  ],
  measures: [
    { action: 'DEMODATA: gemensamma ärendedragningar', responsiblePrincipal: 'FK', dueDate: addMonths(today(), 9) },
  ],
  followUp: {
    method: 'DEMODATA: uppföljning i samordningsförbundets beredningsgrupp',
    interval: 'Halvår',
    owner: 'Förbundschefen',
    intervalMonths: 6,
  },
};

async function patch(api: DemoClient, path: string, body: unknown) {
  const { etag } = await api.call('GET', path);
  return api.call('PATCH', path, body, { 'if-match': etag as string });
}

/** Starts a sync run through the API and draws its progress until it ends, or fails after the deadline. */
export async function followSync(api: DemoClient, kind: string, timeoutMs = 120_000): Promise<void> {
  const { body: started } = await api.call('POST', '/api/v1/sync-runs', { kind });
  let shown = '';
  const run = await waitFor(
    async () => {
      const { body: run } = await api.call('GET', `/api/v1/sync-runs/${started.id}`);
      const { pagesDone, pagesKnown } = run.progress;
      const width = 30;
      const filled = pagesKnown ? Math.round((width * pagesDone) / pagesKnown) : 0;
      const line = `  ${kind.padEnd(9)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pagesDone}/${pagesKnown ?? '?'} pages, ${run.counts.fetched} fetched`;
      if (line !== shown) process.stdout.write(process.stdout.isTTY ? `\r${line}` : `${line}\n`);
      shown = line;
      return ['SUCCEEDED', 'PARTIAL', 'FAILED'].includes(run.status) && run;
    },
    { what: `the ${kind} sync run ${started.id} to end (is this demo's worker running?)`, timeoutMs, intervalMs: 100 },
  );
  const { inserted, updated, unchanged, failed } = run.counts;
  process.stdout.write(
    `${process.stdout.isTTY ? '\n' : ''}    ${run.status}: ${inserted} inserted, ${updated} updated, ${unchanged} unchanged, ${failed} rejected${run.error ? `; ${run.error}` : ''}\n`,
  );
}

/** Completes every activity, drafting and signing a (demo) cooperation plan where one is needed. */
export async function completeWork(api: DemoClient): Promise<void> {
  const activities = await api.all('/api/v1/activities');
  let plans = 0;
  for (const activity of activities) {
    if (activity.type === 'COOPERATION_PLAN') {
      const { body: plan } = await api.call('POST', '/api/v1/plans', {
        activityId: activity.id,
        kind: 'COOPERATION',
        content: DEMO_PLAN,
      });
      for (const principal of PRINCIPALS) {
        const { etag } = await api.call('GET', `/api/v1/plans/${plan.id}`);
        await api.call(
          'POST',
          `/api/v1/plans/${plan.id}/sign-offs`,
          { principal, signerName: `DEMODATA ${principal}`, managementLevel: 'TOP', signedOn: '2015-12-15' },
          { 'if-match': etag as string },
        );
      }
      plans++;
    }
    await patch(api, `/api/v1/activities/${activity.id}`, { status: 'COMPLETED' });
  }
  console.log(
    `  • ${activities.length} activities completed, ${plans} cooperation plans drafted and signed by all four principals (demo data)`,
  );
}

export async function finishAreas(api: DemoClient): Promise<void> {
  const areas = await api.all('/api/v1/areas?status=GRANTED');
  for (const area of areas) await api.call('POST', `/api/v1/areas/${area.id}/finish`);
  console.log(`  • ${areas.length} areas finished`);
}

/** Polls until routing and delivery are done, showing progress, or fails after the deadline. */
export async function waitForHandovers(api: DemoClient, timeoutMs = 120_000): Promise<any[]> {
  let shown = '';
  const handovers = await waitFor(
    async () => {
      const handovers = await api.all('/api/v1/handovers');
      const settled = handovers.filter((handover) => handover.status !== 'READY').length;
      const finishedAreas = (await api.all('/api/v1/areas?status=FINISHED')).length;
      const routedAreas = new Set(handovers.map((handover) => handover.areaId)).size;
      const line = `  • areas routed ${routedAreas}/${finishedAreas}; handovers delivered or waiting ${settled}/${handovers.length}`;
      // One line rewritten in place on a terminal; a line per change in a log.
      if (line !== shown) process.stdout.write(process.stdout.isTTY ? `\r${line}   ` : `${line}\n`);
      shown = line;
      return routedAreas === finishedAreas && settled === handovers.length && handovers;
    },
    { what: 'every finished area to be routed and every handover delivered or waiting', timeoutMs, intervalMs: 250 },
  );
  if (process.stdout.isTTY) process.stdout.write('\n');
  return handovers;
}

export function printHandovers(
  handovers: any[],
  associations: any[],
  receiver: AssociationReceiver,
  openCases: any[],
  municipalities: Map<string, string>,
): void {
  const byAssociation = new Map<string, any[]>();
  for (const handover of handovers.filter((item) => item.recipient.associationId)) {
    byAssociation.set(handover.recipient.associationId, [
      ...(byAssociation.get(handover.recipient.associationId) ?? []),
      handover,
    ]);
  }
  console.log(`\nReceived by the coordination associations (${byAssociation.size} of ${associations.length}):`);
  for (const association of [...associations].sort((a, b) => a.name.localeCompare(b.name))) {
    const received = byAssociation.get(association.id);
    if (!received) continue;
    const atReceiver = receiver.deliveries(association.externalId);
    const codes = [...new Set(received.flatMap((handover) => handover.municipalityCodes))].sort();
    const prioRows = atReceiver.reduce((sum, delivery) => sum + delivery.payload.data.prioInventories.length, 0);
    console.log(
      `  ${association.name}: ${received.length} handover(s), ${atReceiver.length} verified at its system, ${prioRows} PRIO rows; municipalities ${codes.join(', ')}`,
    );
  }
  console.log(`\nMunicipalities waiting for an administrator's decision (${openCases.length}):`);
  const waiting = [...openCases].sort((a, b) => a.municipalityCode.localeCompare(b.municipalityCode));
  console.log(
    `  ${waiting.map((found) => `${found.municipalityCode} ${municipalities.get(found.municipalityCode)}`).join(', ') || 'none'}`,
  );
  console.log(
    `  Resolve them with POST /api/v1/resolution-cases/{id}/resolve (ASSIGN_ASSOCIATION, DIRECT_TO_MUNICIPALITY or WAIVED).`,
  );
}
