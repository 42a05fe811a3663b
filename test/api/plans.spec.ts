import { auditOf, expectProblem, snapshot } from '../support/assertions';
import { Role } from '../../src/auth/principal';
import { ApiResponse, TestApp, startTestApp } from '../support/test-app';

const PRINCIPALS = ['FK', 'AF', 'MUNICIPALITY', 'REGION'] as const;

const CONTENT = {
  targetGroup: 'Unga vuxna med psykisk ohälsa utanför arbete och studier',
  needsAnalysis: {
    summary: 'PRIO-inventeringen visar behov av sysselsättning',
    prioReferences: [{ municipalityCode: '0484', year: 2014 }],
  },
  goals: [
    {
      statement: 'Fler i arbete eller studier',
      indicator: 'Andel deltagare i arbete eller studier efter 12 månader',
      baseline: '12 %',
      target: '25 %',
      dueDate: '2016-12-31',
    },
  ],
  measures: [{ action: 'Gemensamma ärendedragningar varje månad', responsiblePrincipal: 'FK', dueDate: '2016-06-30' }],
  followUp: { method: 'Indikatorrapport till ledningsgruppen', interval: 'Varje halvår', owner: 'Beredningsgruppen' },
};

const REVISED = {
  ...CONTENT,
  goals: [...CONTENT.goals, { ...CONTENT.goals[0], statement: 'Färre långa sjukskrivningar', target: '-10 %' }],
};

const signOffBody = (principal: string, extra: Record<string, unknown> = {}) => ({
  principal,
  signerName: `Chef för ${principal}`,
  managementLevel: 'TOP',
  signedOn: '2015-11-20',
  ...extra,
});

/** Rows of the tables a plan mutation may touch, in a stable order: a snapshot of "the database". */
const PLAN_TABLES = ['plan', 'plan_revision', 'plan_sign_off', 'activity', 'area', 'audit_event', 'outbox_message'];

describe('plans over the API', () => {
  let api: TestApp;
  let areaId: string;
  let otherAreaId: string;
  let cooperationActivityId: string;
  let knowledgeActivityId: string;
  let otherActivityId: string;

  beforeAll(async () => {
    api = await startTestApp();
    areaId = (await ok(api.request('POST', '/api/v1/areas', { body: areaBody('Eskilstuna med partner', '0484') }))).id;
    otherAreaId = (await ok(api.request('POST', '/api/v1/areas', { body: areaBody('Järfälla med partner', '0123') })))
      .id;
    cooperationActivityId = await activity(areaId, 'COOPERATION_PLAN', 'Samverkansplan');
    knowledgeActivityId = await activity(areaId, 'KNOWLEDGE_INITIATIVE', 'Temadagar');
    otherActivityId = await activity(otherAreaId, 'COOPERATION_PLAN', 'Samverkansplan Järfälla');
  });
  afterAll(() => api.close());

  function areaBody(name: string, code: string) {
    return { name, kurRegion: 'MITT', kurPhase: 'KUR2', grantedSek: 400000, municipalityCodes: [code] };
  }

  async function activity(area: string, type: string, title: string): Promise<string> {
    const body = { areaId: area, type, title, planningPrincipals: [...PRINCIPALS] };
    return (await ok(api.request('POST', '/api/v1/activities', { body }))).id;
  }

  async function ok<T = any>(response: Promise<ApiResponse<T>>): Promise<T> {
    const { status, body } = await response;
    if (status !== 200 && status !== 201) throw new Error(`HTTP ${status}: ${JSON.stringify(body)}`);
    return body;
  }

  async function createPlan(activityId = cooperationActivityId, kind = 'COOPERATION', token?: string) {
    const response = await api.request('POST', '/api/v1/plans', {
      body: { activityId, kind, content: CONTENT },
      token,
    });
    expect(response.status).toBe(201);
    return { plan: response.body, etag: response.headers.get('etag') as string };
  }

  function sign(planId: string, etag: string, principal: string, extra: Record<string, unknown> = {}, token?: string) {
    return api.request('POST', `/api/v1/plans/${planId}/sign-offs`, {
      body: signOffBody(principal, extra),
      headers: { 'if-match': etag },
      token,
    });
  }

  async function signAll(planId: string, etag: string, principals: readonly string[] = PRINCIPALS) {
    let response!: ApiResponse;
    for (const principal of principals) {
      response = await sign(planId, etag, principal);
      expect(response.status).toBe(201);
      etag = response.headers.get('etag') as string;
    }
    return { plan: response.body, etag };
  }

  function revise(planId: string, etag: string | undefined, content: unknown = REVISED, token?: string) {
    return api.request('POST', `/api/v1/plans/${planId}/revisions`, {
      body: { content },
      headers: etag === undefined ? {} : { 'if-match': etag },
      token,
    });
  }

  function expectRule(response: ApiResponse, rule: string) {
    expectProblem(response, 422);
    expect(response.body.rule).toBe(rule);
  }

  function expectFieldError(response: ApiResponse, field: string) {
    expectProblem(response, 400);
    expect(response.body.errors).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
  }

  describe('create and read', () => {
    it('creates a DRAFT plan with revision 1 holding the template, and reads it back with its ETag', async () => {
      const created = await api.request('POST', '/api/v1/plans', {
        body: { activityId: cooperationActivityId, kind: 'COOPERATION', content: CONTENT },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toMatchObject({
        id: expect.any(String),
        activityId: cooperationActivityId,
        kind: 'COOPERATION',
        status: 'DRAFT',
        latestRevision: 1,
        agreedRevision: null,
        version: 1,
        latest: { revision: 1, content: CONTENT, signOffs: [], createdBy: 'admin:admin-tester' },
      });

      const read = await api.request('GET', `/api/v1/plans/${created.body.id}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe('"1"');
      expect(read.body).toEqual(created.body);
      expect(await auditOf(api.dataSource, created.body.id)).toEqual([
        {
          action: 'plan.created',
          actor: 'admin:admin-tester',
          changes: { activityId: cooperationActivityId, kind: 'COOPERATION', revision: 1 },
        },
      ]);
    });

    it('gives a knowledge initiative a competence development plan', async () => {
      const { plan } = await createPlan(knowledgeActivityId, 'COMPETENCE_DEVELOPMENT');
      expect(plan).toMatchObject({ kind: 'COMPETENCE_DEVELOPMENT', activityId: knowledgeActivityId, status: 'DRAFT' });
    });

    it.each([
      ['COOPERATION_PLAN', 'COMPETENCE_DEVELOPMENT', () => cooperationActivityId],
      ['KNOWLEDGE_INITIATIVE', 'COOPERATION', () => knowledgeActivityId],
    ])('refuses a plan kind that does not match a %s activity (PLAN_KIND_MATCHES_ACTIVITY)', async (_, kind, id) => {
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const response = await api.request('POST', '/api/v1/plans', {
        body: { activityId: id(), kind, content: CONTENT },
      });
      expectRule(response, 'PLAN_KIND_MATCHES_ACTIVITY');
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('answers 404 for an unknown plan or activity and 400 for a malformed id', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectProblem(await api.request('GET', `/api/v1/plans/${unknown}`), 404);
      expectProblem(await api.request('GET', `/api/v1/plans/${unknown}/revisions`), 404);
      expectProblem(await api.request('GET', `/api/v1/plans/${unknown}/revisions/1`), 404);
      expectProblem(await revise(unknown, '"1"'), 404);
      expectProblem(await sign(unknown, '"1"', 'FK'), 404);
      const noActivity = await api.request('POST', '/api/v1/plans', {
        body: { activityId: unknown, kind: 'COOPERATION', content: CONTENT },
      });
      expectProblem(noActivity, 404);
      expectFieldError(await api.request('GET', '/api/v1/plans/not-a-uuid'), 'id');
      expectFieldError(await revise('not-a-uuid', '"1"'), 'id');
      expectFieldError(await api.request('GET', `/api/v1/plans/${unknown}/revisions/one`), 'revision');
    });
  });

  describe('list', () => {
    it('pages through the plans of an activity with a small limit, in creation order, without duplicates', async () => {
      const activityId = await activity(areaId, 'COOPERATION_PLAN', 'Paging');
      const created: string[] = [];
      for (let i = 0; i < 5; i++) created.push((await createPlan(activityId)).plan.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: ApiResponse = await api.request(
          'GET',
          `/api/v1/plans?activityId=${activityId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        expect(page.body.items.length).toBeLessThanOrEqual(2);
        for (const item of page.body.items) expect(item).not.toHaveProperty('latest');
        seen.push(...page.body.items.map((item: { id: string }) => item.id));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(created);
    });

    it('lists plans of every activity without a filter, and rejects bad paging and unknown filters', async () => {
      await createPlan(cooperationActivityId, 'COOPERATION');
      await createPlan(knowledgeActivityId, 'COMPETENCE_DEVELOPMENT');
      const all = await api.request('GET', '/api/v1/plans?limit=200');
      expect(all.status).toBe(200);
      const activities = all.body.items.map((item: { activityId: string }) => item.activityId);
      expect(activities).toEqual(expect.arrayContaining([cooperationActivityId, knowledgeActivityId]));
      expect(all.body.nextCursor).toBeNull();
      expectFieldError(await api.request('GET', '/api/v1/plans?limit=0'), 'limit');
      expectFieldError(await api.request('GET', '/api/v1/plans?limit=201'), 'limit');
      expectFieldError(await api.request('GET', '/api/v1/plans?limit=ten'), 'limit');
      expectFieldError(await api.request('GET', '/api/v1/plans?cursor=bm9wZQ'), 'cursor');
      expectFieldError(await api.request('GET', '/api/v1/plans?activityId=42'), 'activityId');
      expectProblem(await api.request('GET', '/api/v1/plans?status=DRAFT'), 400);
    });
  });

  describe('sign-offs and agreement', () => {
    it('becomes AGREED only with the fourth principal, and only then lets the activity complete', async () => {
      const activityId = await activity(areaId, 'COOPERATION_PLAN', 'Agreement');
      const { plan, etag } = await createPlan(activityId);
      const activityPath = `/api/v1/activities/${activityId}`;
      const started = await api.request('PATCH', activityPath, {
        body: { status: 'IN_PROGRESS' },
        headers: { 'if-match': (await api.request('GET', activityPath)).headers.get('etag') as string },
      });
      expect(started.status).toBe(200);

      let current = etag;
      for (const [index, principal] of PRINCIPALS.slice(0, 3).entries()) {
        const signed = await sign(plan.id, current, principal, { managementLevel: index === 0 ? 'TOP' : 'MIDDLE' });
        expect(signed.status).toBe(201);
        expect(signed.body).toMatchObject({ status: 'DRAFT', agreedRevision: null });
        expect(signed.body.latest.signOffs).toHaveLength(index + 1);
        expect(Number(JSON.parse(signed.headers.get('etag') as string))).toBe(Number(JSON.parse(current)) + 1);
        current = signed.headers.get('etag') as string;
      }

      const early = await api.request('PATCH', activityPath, {
        body: { status: 'COMPLETED' },
        headers: { 'if-match': started.headers.get('etag') as string },
      });
      expectRule(early, 'COOPERATION_PLAN_AGREED');

      const last = await sign(plan.id, current, 'REGION', { signerName: 'Regiondirektör', signedOn: '2015-12-01' });
      expect(last.status).toBe(201);
      expect(last.body).toMatchObject({ status: 'AGREED', agreedRevision: 1, latestRevision: 1 });
      expect(last.body.latest.signOffs).toEqual([
        { principal: 'FK', signerName: 'Chef för FK', managementLevel: 'TOP', signedOn: '2015-11-20' },
        { principal: 'AF', signerName: 'Chef för AF', managementLevel: 'MIDDLE', signedOn: '2015-11-20' },
        {
          principal: 'MUNICIPALITY',
          signerName: 'Chef för MUNICIPALITY',
          managementLevel: 'MIDDLE',
          signedOn: '2015-11-20',
        },
        { principal: 'REGION', signerName: 'Regiondirektör', managementLevel: 'TOP', signedOn: '2015-12-01' },
      ]);
      const read = await api.request('GET', `/api/v1/plans/${plan.id}`);
      expect(read.body).toEqual(last.body);
      expect(read.headers.get('etag')).toBe(last.headers.get('etag'));
      expect((await auditOf(api.dataSource, plan.id)).map((event) => event.action)).toEqual([
        'plan.created',
        'plan.signed',
        'plan.signed',
        'plan.signed',
        'plan.agreed',
      ]);

      const completed = await api.request('PATCH', activityPath, {
        body: { status: 'COMPLETED' },
        headers: { 'if-match': (await api.request('GET', activityPath)).headers.get('etag') as string },
      });
      expect(completed.status).toBe(200);
      expect(completed.body.status).toBe('COMPLETED');
    });

    it('refuses a second sign-off by the same principal and leaves the database exactly as before', async () => {
      const { plan, etag } = await createPlan();
      const first = await sign(plan.id, etag, 'FK');
      expect(first.status).toBe(201);
      const current = first.headers.get('etag') as string;
      const before = await snapshot(api.dataSource, PLAN_TABLES);

      const again = await sign(plan.id, current, 'FK', { signerName: 'Någon annan', managementLevel: 'OPERATIONAL' });
      expectRule(again, 'ONE_SIGN_OFF_PER_PRINCIPAL');
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);

      const read = await api.request('GET', `/api/v1/plans/${plan.id}`);
      expect(read.headers.get('etag')).toBe(current);
      expect(read.body.latest.signOffs).toEqual([
        { principal: 'FK', signerName: 'Chef för FK', managementLevel: 'TOP', signedOn: '2015-11-20' },
      ]);
    });

    it('rolls the whole sign-off back when it fails after writing (agreement, activity flag, then audit)', async () => {
      const activityId = await activity(areaId, 'COOPERATION_PLAN', 'Half-way');
      const { plan, etag } = await createPlan(activityId);
      const three = await signAll(plan.id, etag, ['FK', 'AF', 'MUNICIPALITY']);
      // A real constraint in this file's own database makes the last write of the fourth sign-off,
      // its audit event, fail: the sign-off row, the AGREED plan and the activity flag were written by then.
      await api.dataSource.query(
        `ALTER TABLE audit_event ADD CONSTRAINT test_refuse_plan_agreed
           CHECK (action <> 'plan.agreed' OR entity_id <> '${plan.id}') NOT VALID`,
      );
      try {
        const before = await snapshot(api.dataSource, PLAN_TABLES);
        const failed = await sign(plan.id, three.etag, 'REGION');
        expectProblem(failed, 500);
        expect(failed.body.detail).not.toContain('audit_event');
        expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
      } finally {
        await api.dataSource.query('ALTER TABLE audit_event DROP CONSTRAINT test_refuse_plan_agreed');
      }
      const retried = await sign(plan.id, three.etag, 'REGION');
      expect(retried.status).toBe(201);
      expect(retried.body).toMatchObject({ status: 'AGREED', agreedRevision: 1 });
      const [row] = await api.dataSource.query('SELECT has_agreed_cooperation_plan FROM activity WHERE id = $1', [
        activityId,
      ]);
      expect(row.has_agreed_cooperation_plan).toBe(true);
    });

    it('only signs the latest revision (SIGN_LATEST_REVISION)', async () => {
      const { plan, etag } = await createPlan();
      const revised = await revise(plan.id, etag);
      expect(revised.status).toBe(201);
      const current = revised.headers.get('etag') as string;
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      expectRule(await sign(plan.id, current, 'FK', { revision: 1 }), 'SIGN_LATEST_REVISION');
      expectRule(await sign(plan.id, current, 'FK', { revision: 3 }), 'SIGN_LATEST_REVISION');
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
      const signed = await sign(plan.id, current, 'FK', { revision: 2 });
      expect(signed.status).toBe(201);
      expect(signed.body.latest).toMatchObject({
        revision: 2,
        signOffs: [expect.objectContaining({ principal: 'FK' })],
      });
      const first = await api.request('GET', `/api/v1/plans/${plan.id}/revisions/1`);
      expect(first.body.signOffs).toEqual([]);
    });

    it('a revision after agreement keeps agreedRevision, goes back to DRAFT and needs all four again', async () => {
      const { plan, etag } = await createPlan();
      const agreed = await signAll(plan.id, etag);
      expect(agreed.plan).toMatchObject({ status: 'AGREED', agreedRevision: 1 });

      const revised = await revise(plan.id, agreed.etag);
      expect(revised.status).toBe(201);
      expect(revised.body).toMatchObject({
        status: 'DRAFT',
        latestRevision: 2,
        agreedRevision: 1,
        latest: { revision: 2, content: REVISED, signOffs: [] },
      });

      const partly = await signAll(plan.id, revised.headers.get('etag') as string, ['FK', 'AF', 'REGION']);
      expect(partly.plan).toMatchObject({ status: 'DRAFT', agreedRevision: 1 });
      const all = await sign(plan.id, partly.etag, 'MUNICIPALITY');
      expect(all.body).toMatchObject({ status: 'AGREED', agreedRevision: 2, latestRevision: 2 });

      const history = await api.request('GET', `/api/v1/plans/${plan.id}/revisions/1`);
      expect(history.body.content).toEqual(CONTENT);
      expect(history.body.signOffs.map((row: { principal: string }) => row.principal)).toEqual([...PRINCIPALS]);
    });
  });

  describe('revisions', () => {
    it('adds immutable numbered revisions and pages through them', async () => {
      const { plan, etag } = await createPlan();
      const second = await revise(plan.id, etag);
      expect(second.status).toBe(201);
      expect(second.headers.get('etag')).toBe('"2"');
      expect(second.body).toMatchObject({
        latestRevision: 2,
        status: 'DRAFT',
        latest: { revision: 2, content: REVISED },
      });
      const third = await revise(plan.id, '"2"', {
        ...CONTENT,
        targetGroup: 'Personer med psykisk funktionsnedsättning',
      });
      expect(third.status).toBe(201);

      const first = await api.request('GET', `/api/v1/plans/${plan.id}/revisions/1`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ revision: 1, content: CONTENT, signOffs: [] });
      expect((await api.request('GET', `/api/v1/plans/${plan.id}/revisions/2`)).body.content).toEqual(REVISED);
      expectProblem(await api.request('GET', `/api/v1/plans/${plan.id}/revisions/4`), 404);

      const numbers: number[] = [];
      let cursor: string | null = null;
      do {
        const page: ApiResponse = await api.request(
          'GET',
          `/api/v1/plans/${plan.id}/revisions?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.status).toBe(200);
        numbers.push(...page.body.items.map((item: { revision: number }) => item.revision));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(numbers).toEqual([1, 2, 3]);
      expectFieldError(await api.request('GET', `/api/v1/plans/${plan.id}/revisions?limit=500`), 'limit');
      expect((await auditOf(api.dataSource, plan.id)).map((event) => event.action)).toEqual([
        'plan.created',
        'plan.revised',
        'plan.revised',
      ]);
    });

    it('needs If-Match (428), refuses a stale one (412) and changes nothing then', async () => {
      const { plan, etag } = await createPlan();
      expect((await revise(plan.id, etag)).status).toBe(201);
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      expectProblem(await revise(plan.id, undefined), 428);
      expectProblem(await revise(plan.id, etag), 412);
      expectProblem(await revise(plan.id, 'not-an-etag'), 412);
      expectProblem(await sign(plan.id, etag, 'FK'), 412);
      const unsigned = await api.request('POST', `/api/v1/plans/${plan.id}/sign-offs`, { body: signOffBody('FK') });
      expectProblem(unsigned, 428);
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });
  });

  describe('validation', () => {
    it('answers malformed JSON with a 400 problem on every write', async () => {
      const { plan, etag } = await createPlan();
      for (const path of [
        '/api/v1/plans',
        `/api/v1/plans/${plan.id}/revisions`,
        `/api/v1/plans/${plan.id}/sign-offs`,
      ]) {
        const response = await api.request('POST', path, { rawBody: '{"activityId": ', headers: { 'if-match': etag } });
        expectProblem(response, 400);
      }
    });

    it('rejects unknown fields, top-level and nested', async () => {
      const { plan, etag } = await createPlan();
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const body = { activityId: cooperationActivityId, kind: 'COOPERATION', content: CONTENT };
      expectFieldError(await api.request('POST', '/api/v1/plans', { body: { ...body, status: 'AGREED' } }), 'status');
      const nested = { ...body, content: { ...CONTENT, goals: [{ ...CONTENT.goals[0], owner: 'FK' }] } };
      expectFieldError(await api.request('POST', '/api/v1/plans', { body: nested }), 'content.goals.0.owner');
      const extraRevision = await api.request('POST', `/api/v1/plans/${plan.id}/revisions`, {
        body: { content: CONTENT, kind: 'COMPETENCE_DEVELOPMENT' },
        headers: { 'if-match': etag },
      });
      expectFieldError(extraRevision, 'kind');
      expectFieldError(await sign(plan.id, etag, 'FK', { planId: plan.id }), 'planId');
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('rejects wrong types and incomplete templates, listing each bad field', async () => {
      const { plan, etag } = await createPlan();
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const wrong = await api.request('POST', '/api/v1/plans', {
        body: {
          activityId: 42,
          kind: 'STRATEGY',
          content: { ...CONTENT, goals: 'more jobs', followUp: { ...CONTENT.followUp, interval: 6 } },
        },
      });
      expectProblem(wrong, 400);
      expect(wrong.body.errors.map((error: { field: string }) => error.field)).toEqual(
        expect.arrayContaining(['activityId', 'kind', 'content.goals', 'content.followUp.interval']),
      );
      for (const content of [
        { ...CONTENT, goals: [] },
        { ...CONTENT, measures: [] },
        { ...CONTENT, measures: [{ ...CONTENT.measures[0], responsiblePrincipal: 'SKL' }] },
        { ...CONTENT, goals: [{ ...CONTENT.goals[0], dueDate: '31/12/2016' }] },
        (({ followUp: _followUp, ...rest }) => rest)(CONTENT),
        (({ needsAnalysis: _needsAnalysis, ...rest }) => rest)(CONTENT),
        { ...CONTENT, needsAnalysis: { summary: 'utan referenser' } },
      ]) {
        expectProblem(await revise(plan.id, etag, content), 400);
      }
      expectFieldError(await revise(plan.id, etag, 'a plan'), 'content');
      const noContent = await api.request('POST', '/api/v1/plans', {
        body: { activityId: cooperationActivityId, kind: 'COOPERATION' },
      });
      expectFieldError(noContent, 'content');
      expectFieldError(await sign(plan.id, etag, 'SKL'), 'principal');
      expectFieldError(await sign(plan.id, etag, 'FK', { managementLevel: 'BOARD' }), 'managementLevel');
      expectFieldError(await sign(plan.id, etag, 'FK', { signedOn: 20151120 }), 'signedOn');
      expectFieldError(await sign(plan.id, etag, 'FK', { revision: '1' }), 'revision');
      expectFieldError(await sign(plan.id, etag, 'FK', { signerName: '' }), 'signerName');
      expectProblem(await api.request('POST', '/api/v1/plans', { body: [CONTENT] }), 400);
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('rejects a malformed municipality code (400) and an unknown one (422) in the needs analysis', async () => {
      const { plan, etag } = await createPlan();
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const cite = (municipalityCode: string) => ({
        ...CONTENT,
        needsAnalysis: { ...CONTENT.needsAnalysis, prioReferences: [{ municipalityCode, year: 2014 }] },
      });
      const malformed = await api.request('POST', '/api/v1/plans', {
        body: { activityId: cooperationActivityId, kind: 'COOPERATION', content: cite('484') },
      });
      expectFieldError(malformed, 'content.needsAnalysis.prioReferences.0.municipalityCode');
      expectFieldError(
        await revise(plan.id, etag, cite('04840')),
        'content.needsAnalysis.prioReferences.0.municipalityCode',
      );
      const unknown = await api.request('POST', '/api/v1/plans', {
        body: { activityId: cooperationActivityId, kind: 'COOPERATION', content: cite('0000') },
      });
      expectRule(unknown, 'KNOWN_MUNICIPALITY');
      expectRule(await revise(plan.id, etag, cite('0000')), 'KNOWN_MUNICIPALITY');
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('refuses a text with a NUL character as a 400, not a server error', async () => {
      const { plan, etag } = await createPlan();
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const response = await revise(plan.id, etag, { ...CONTENT, targetGroup: 'a\u0000b' });
      expectProblem(response, 400);
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('answers a body over 1 MiB with 413 on every write', async () => {
      const { plan, etag } = await createPlan();
      const huge = { ...CONTENT, targetGroup: 'x'.repeat(1024 * 1024 + 1) };
      const bodies: [string, unknown][] = [
        ['/api/v1/plans', { activityId: cooperationActivityId, kind: 'COOPERATION', content: huge }],
        [`/api/v1/plans/${plan.id}/revisions`, { content: huge }],
        [`/api/v1/plans/${plan.id}/sign-offs`, signOffBody('FK', { signerName: 'x'.repeat(1024 * 1024 + 1) })],
      ];
      for (const [path, body] of bodies) {
        expectProblem(await api.request('POST', path, { body, headers: { 'if-match': etag } }), 413);
      }
      expect((await api.request('GET', `/api/v1/plans/${plan.id}`)).headers.get('etag')).toBe(etag);
    });
  });

  describe('authentication and scope', () => {
    let planId: string;
    let etag: string;
    beforeAll(
      async () =>
        ({
          plan: { id: planId },
          etag,
        } = await createPlan()),
    );

    const everyEndpoint = (id: string, tag: string) =>
      [
        ['GET', '/api/v1/plans', undefined],
        ['GET', `/api/v1/plans/${id}`, undefined],
        ['POST', '/api/v1/plans', { activityId: cooperationActivityId, kind: 'COOPERATION', content: CONTENT }],
        ['GET', `/api/v1/plans/${id}/revisions`, undefined],
        ['GET', `/api/v1/plans/${id}/revisions/1`, undefined],
        ['POST', `/api/v1/plans/${id}/revisions`, { content: REVISED }],
        ['POST', `/api/v1/plans/${id}/sign-offs`, signOffBody('FK')],
      ].map(([method, path, body]) => ({ method, path, body, headers: { 'if-match': tag } })) as {
        method: string;
        path: string;
        body: unknown;
        headers: Record<string, string>;
      }[];

    it('answers 401 without a token or with a forged one on every endpoint', async () => {
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      for (const { method, path, body, headers } of everyEndpoint(planId, etag)) {
        expectProblem(await api.request(method, path, { token: null, body, headers }), 401);
        expectProblem(await api.request(method, path, { token: 'x.y.z', body, headers }), 401);
      }
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });

    it('hides a plan of another area from a coordinator: 404 on every endpoint, absent from lists', async () => {
      const outsider = await api.tokenFor(Role.COORDINATOR, { areas: [otherAreaId] });
      const before = await snapshot(api.dataSource, PLAN_TABLES);
      for (const { method, path, body, headers } of everyEndpoint(planId, etag).slice(1)) {
        expectProblem(await api.request(method, path, { token: outsider, body, headers }), 404);
      }
      const list = await api.request('GET', '/api/v1/plans?limit=200', { token: outsider });
      expect(list.status).toBe(200);
      expect(list.body.items).toEqual([]);
      const filtered = await api.request('GET', `/api/v1/plans?activityId=${cooperationActivityId}`, {
        token: outsider,
      });
      expect(filtered.body.items).toEqual([]);
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);

      const own = await createPlan(otherActivityId, 'COOPERATION', outsider);
      expect(own.plan.latest.createdBy).toBe('coordinator:coordinator-tester');
      const ownList = await api.request('GET', '/api/v1/plans', { token: outsider });
      expect(ownList.body.items.map((item: { id: string }) => item.id)).toEqual([own.plan.id]);
    });

    it("lets the area's coordinator revise and sign", async () => {
      const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [areaId], subject: 'lena' });
      const { plan, etag: tag } = await createPlan(cooperationActivityId, 'COOPERATION', coordinator);
      const revised = await revise(plan.id, tag, REVISED, coordinator);
      expect(revised.status).toBe(201);
      const signed = await sign(plan.id, revised.headers.get('etag') as string, 'AF', {}, coordinator);
      expect(signed.status).toBe(201);
      expect((await auditOf(api.dataSource, plan.id)).map((event) => event.actor)).toEqual([
        'coordinator:lena',
        'coordinator:lena',
        'coordinator:lena',
      ]);
    });

    it('lets a chief read plans of areas in their association only, and never write', async () => {
      const [sormland] = await api.dataSource.query(
        "SELECT association_id AS id FROM membership WHERE municipality_code = '0484' AND valid_to IS NULL",
      );
      const [stockholm] = await api.dataSource.query(
        "SELECT association_id AS id FROM membership WHERE municipality_code = '0180' AND valid_to IS NULL",
      );
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: sormland.id });
      expect((await api.request('GET', `/api/v1/plans/${planId}`, { token: chief })).status).toBe(200);
      const listed = await api.request('GET', '/api/v1/plans?limit=200', { token: chief });
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(planId);
      const stranger = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id });
      expectProblem(await api.request('GET', `/api/v1/plans/${planId}`, { token: stranger }), 404);
      expectProblem(await api.request('GET', `/api/v1/plans/${planId}/revisions/1`, { token: stranger }), 404);
      expect((await api.request('GET', '/api/v1/plans', { token: stranger })).body.items).toEqual([]);

      const before = await snapshot(api.dataSource, PLAN_TABLES);
      const service = api.tokens.service;
      expect((await api.request('GET', `/api/v1/plans/${planId}`, { token: service })).status).toBe(200);
      for (const token of [chief, service]) {
        for (const { method, path, body, headers } of everyEndpoint(planId, etag).filter((e) => e.method === 'POST')) {
          expectProblem(await api.request(method, path, { token, body, headers }), 403);
        }
      }
      expect(await snapshot(api.dataSource, PLAN_TABLES)).toEqual(before);
    });
  });
});
