import { TestApp } from './test-app';

/** Building blocks for pipeline tests, all through the public API. */
export const PLAN_CONTENT = {
  targetGroup: 'Unga vuxna med psykisk ohälsa utanför arbete och studier',
  needsAnalysis: { summary: 'PRIO-inventeringen visar behov av sysselsättning', prioReferences: [] },
  goals: [
    {
      statement: 'Fler i arbete eller studier',
      indicator: 'Andel efter 12 månader',
      baseline: '12 %',
      target: '25 %',
      dueDate: '2016-12-31',
    },
  ],
  measures: [{ action: 'Gemensamma ärendedragningar varje månad', responsiblePrincipal: 'FK', dueDate: '2016-06-30' }],
  followUp: {
    method: 'Indikatorrapport till ledningsgruppen',
    interval: 'Halvår',
    owner: 'Beredningsgruppen',
    intervalMonths: 6,
  } as { method: string; interval: string; owner?: string; intervalMonths?: number },
};

/** A PRIO inventory row for a municipality and year, as the feed would send it. */
export const prioRow = (municipalityCode: string, year: number) => ({
  municipalityCode,
  year,
  inventoriedPersons: 120,
  unmetHousingNeeds: 10,
  unmetOccupationNeeds: 30,
  analysisDate: `${year}-10-01`,
  employmentStrategyAgreed: true,
  revision: 1,
  updatedAt: '2026-01-01T00:00:00Z',
});

const ALL_PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'];

export async function expectOk<T = any>(
  response: Promise<{ status: number; body: T }>,
  status = [200, 201, 202],
): Promise<T> {
  const { status: got, body } = await response;
  if (!status.includes(got)) throw new Error(`HTTP ${got}: ${JSON.stringify(body)}`);
  return body;
}

/** PATCH with the current ETag, as a well-behaved client does. */
export async function patch(api: TestApp, path: string, body: unknown, token?: string) {
  const read = await api.request('GET', path, { token });
  return expectOk(
    api.request('PATCH', path, { body, token, headers: { 'if-match': read.headers.get('etag') as string } }),
  );
}

/** How the cooperation plan of `finishedWork` is written and signed. */
export interface PlanOptions {
  content?: typeof PLAN_CONTENT;
  managementLevel?: 'TOP' | 'MIDDLE' | 'OPERATIONAL';
}

/** A GRANTED area whose activities are all done (a knowledge initiative and an agreed cooperation plan). */
export async function finishedWork(
  api: TestApp,
  name: string,
  municipalityCodes: string[],
  plan: PlanOptions = {},
): Promise<string> {
  const area = await expectOk(
    api.request('POST', '/api/v1/areas', {
      body: { name, kurRegion: 'STOCKHOLM', kurPhase: 'KUR2', grantedSek: 400000, municipalityCodes },
    }),
  );
  await patch(api, `/api/v1/areas/${area.id}`, { status: 'GRANTED' });
  const knowledge = await expectOk(
    api.request('POST', '/api/v1/activities', {
      body: {
        areaId: area.id,
        type: 'KNOWLEDGE_INITIATIVE',
        title: 'Temadagar',
        planningPrincipals: ALL_PRINCIPALS,
        grantedSek: 150000,
      },
    }),
  );
  await patch(api, `/api/v1/activities/${knowledge.id}`, { status: 'IN_PROGRESS' });
  await patch(api, `/api/v1/activities/${knowledge.id}`, { status: 'COMPLETED', spentSek: 140000 });
  const cooperation = await expectOk(
    api.request('POST', '/api/v1/activities', {
      body: {
        areaId: area.id,
        type: 'COOPERATION_PLAN',
        title: 'Samverkansplan',
        planningPrincipals: ALL_PRINCIPALS,
        grantedSek: 100000,
      },
    }),
  );
  await patch(api, `/api/v1/activities/${cooperation.id}`, { status: 'IN_PROGRESS' });
  await agreedPlan(api, cooperation.id, plan);
  await patch(api, `/api/v1/activities/${cooperation.id}`, { status: 'COMPLETED' });
  return area.id;
}

export async function agreedPlan(
  api: TestApp,
  activityId: string,
  { content = PLAN_CONTENT, managementLevel = 'TOP' }: PlanOptions = {},
): Promise<string> {
  const plan = await expectOk(
    api.request('POST', '/api/v1/plans', { body: { activityId, kind: 'COOPERATION', content } }),
  );
  for (const principal of ALL_PRINCIPALS) await signOff(api, plan.id, principal, managementLevel);
  return plan.id;
}

export async function signOff(api: TestApp, planId: string, principal: string, managementLevel = 'TOP') {
  const read = await api.request('GET', `/api/v1/plans/${planId}`);
  return expectOk(
    api.request('POST', `/api/v1/plans/${planId}/sign-offs`, {
      body: { principal, signerName: `${principal} chef`, managementLevel, signedOn: '2015-11-20' },
      headers: { 'if-match': read.headers.get('etag') as string },
    }),
  );
}

/** Points an association's push endpoint at a receiver. */
export async function setEndpoint(
  api: TestApp,
  associationId: string,
  endpoint: { url: string; secret: string } | null,
) {
  return patch(api, `/api/v1/associations/${associationId}`, { endpoint });
}

export async function associationByMember(
  api: TestApp,
  municipalityCode: string,
): Promise<{ id: string; name: string }> {
  const page = await expectOk(api.request('GET', `/api/v1/associations?municipalityCode=${municipalityCode}`));
  if (page.items.length !== 1) throw new Error(`expected one association covering ${municipalityCode}`);
  return page.items[0];
}

export async function handoversOf(api: TestApp, areaId: string): Promise<any[]> {
  return (await expectOk(api.request('GET', `/api/v1/handovers?areaId=${areaId}&limit=200`))).items;
}
