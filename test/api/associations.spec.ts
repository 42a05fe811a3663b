import { auditOf, expectProblem, snapshot } from '../support/assertions';
import { Role } from '../../src/auth/principal';
import { today } from '../../src/core/time';
import { ApiResponse, RequestOptions, TestApp, startTestApp } from '../support/test-app';

const SECRET = 'whsec_QWxsYSBoZW1saWdoZXRlciDDpHIgaGVtbGlnYQ==';
const NEW_SECRET = 'whsec_TnlhIGhlbWxpZ2hldGVyIGbDtnIgbnlhIHRpZGVy';
const ASSOCIATION_TABLES = ['coordination_association', 'membership', 'audit_event', 'outbox_message'];

describe('coordination associations and memberships over the API', () => {
  let api: TestApp;
  /** Every response body and header this file saw, to prove no secret ever leaves the service. */
  const seen: string[] = [];
  let stockholmId: string;
  let sormlandId: string;

  beforeAll(async () => {
    api = await startTestApp();
    stockholmId = await associationOf('0180');
    sormlandId = await associationOf('0484');
  });
  afterAll(() => api.close());

  async function call<T = any>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    const response = await api.request<T>(method, path, options);
    seen.push(JSON.stringify(response.body ?? null), JSON.stringify([...response.headers.entries()]));
    return response;
  }

  async function associationOf(code: string): Promise<string> {
    const [row] = await api.dataSource.query(
      'SELECT association_id AS id FROM membership WHERE municipality_code = $1 AND valid_to IS NULL',
      [code],
    );
    return row.id;
  }

  let counter = 0;
  async function create(extra: Record<string, unknown> = {}) {
    counter++;
    const response = await call('POST', '/api/v1/associations', {
      body: { externalId: `222000-${1000 + counter}`, name: `Testförbundet ${counter}`, countyCode: '01', ...extra },
    });
    expect(response.status).toBe(201);
    return { association: response.body, etag: response.headers.get('etag') as string };
  }

  function addMember(associationId: string, body: unknown, token?: string) {
    return call('POST', `/api/v1/associations/${associationId}/memberships`, { body, token });
  }

  function close(associationId: string, membershipId: string, body: unknown = {}, token?: string) {
    return call('POST', `/api/v1/associations/${associationId}/memberships/${membershipId}/close`, { body, token });
  }

  function patch(id: string, body: unknown, etag?: string, token?: string) {
    return call('PATCH', `/api/v1/associations/${id}`, {
      body,
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

  /** Polls (no fixed sleep) until this many sessions of this database wait for a lock. */
  async function waitForLockWaiters(count: number): Promise<void> {
    for (let attempt = 0; attempt < 2000; attempt++) {
      const [{ waiting }] = await api.dataSource.query(
        "SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (waiting >= count) return;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`Expected ${count} sessions waiting for a lock`);
  }

  async function pageAll(path: string, limit: number, token?: string): Promise<{ items: any[]; pages: number }> {
    const items: any[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const separator = path.includes('?') ? '&' : '?';
      const page: ApiResponse = await call(
        'GET',
        `${path}${separator}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      items.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  describe('read', () => {
    it('pages through the 44 associations of the registry by name, without duplicates', async () => {
      const { items, pages } = await pageAll('/api/v1/associations', 10);
      expect(pages).toBe(5);
      expect(items).toHaveLength(44);
      expect(new Set(items.map((item) => item.id)).size).toBe(44);
      const names = items.map((item) => item.name);
      expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    });

    it('filters by county and by current member municipality', async () => {
      const stockholm = await call('GET', '/api/v1/associations?municipalityCode=0180');
      expect(stockholm.status).toBe(200);
      expect(stockholm.body.items).toHaveLength(1);
      expect(stockholm.body.items[0]).toMatchObject({
        id: stockholmId,
        name: 'Samordningsförbundet Stockholms stad',
        countyCode: '01',
        memberMunicipalityCodes: ['0180'],
        active: true,
      });
      const none = await call('GET', '/api/v1/associations?municipalityCode=0123');
      expect(none.body).toEqual({ items: [], nextCursor: null });
      const sormland = await call('GET', '/api/v1/associations?countyCode=04');
      expect(sormland.body.items.map((item: { id: string }) => item.id)).toContain(sormlandId);
      for (const item of sormland.body.items) expect(item.countyCode).toBe('04');
    });

    it('filters active and inactive associations, with the county (the resolution form: same county first)', async () => {
      const { association } = await create({ countyCode: '04' });
      const updated = await call('PATCH', `/api/v1/associations/${association.id}`, {
        headers: { 'if-match': `"${association.version}"` },
        body: { active: false },
      });
      expect(updated.status).toBe(200);
      const ids = async (query: string) =>
        (await pageAll(`/api/v1/associations?${query}`, 200)).items.map((item) => item.id);
      expect(await ids('countyCode=04&active=true')).toContain(sormlandId);
      expect(await ids('countyCode=04&active=true')).not.toContain(association.id);
      expect(await ids('countyCode=04&active=false')).toEqual([association.id]);
      const active = (await pageAll('/api/v1/associations?active=true', 200)).items;
      expect(active.every((item) => item.active)).toBe(true);
    });

    it('reads one association with its ETag and current members', async () => {
      const read = await call('GET', `/api/v1/associations/${sormlandId}`);
      expect(read.status).toBe(200);
      expect(read.headers.get('etag')).toBe(`"${read.body.version}"`);
      expect(read.body).toMatchObject({
        id: sormlandId,
        name: 'Samordningsförbundet RAR i Sörmland',
        countyCode: '04',
        memberMunicipalityCodes: ['0428', '0461', '0480', '0481', '0482', '0483', '0484', '0486', '0488'],
      });
    });

    it('answers 404 for an unknown id, 400 for a malformed id, code or paging parameter', async () => {
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectProblem(await call('GET', `/api/v1/associations/${unknown}`), 404);
      expectProblem(await call('GET', `/api/v1/associations/${unknown}/memberships`), 404);
      expectFieldError(await call('GET', '/api/v1/associations/42'), 'id');
      expectFieldError(await call('GET', '/api/v1/associations?municipalityCode=180'), 'municipalityCode');
      expectFieldError(await call('GET', '/api/v1/associations?countyCode=1'), 'countyCode');
      expectFieldError(await call('GET', '/api/v1/associations?limit=0'), 'limit');
      expectFieldError(await call('GET', '/api/v1/associations?limit=201'), 'limit');
      expectFieldError(await call('GET', '/api/v1/associations?cursor=WzFd'), 'cursor');
      expectFieldError(await call('GET', '/api/v1/associations?active=yes'), 'active');
      expectProblem(await call('GET', '/api/v1/associations?chief=Anna'), 400);
    });
  });

  describe('create', () => {
    it('creates an association, shows only that a secret is set and stores the secret encrypted', async () => {
      const created = await call('POST', '/api/v1/associations', {
        body: {
          externalId: '222000-0001',
          name: 'Samordningsförbundet Järfälla',
          countyCode: '01',
          chief: { name: 'Anna Andersson', email: 'anna@example.org' },
          endpoint: { url: 'https://finsam.example.org/kur', secret: SECRET },
        },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('etag')).toBe('"1"');
      expect(created.body).toEqual({
        id: expect.any(String),
        externalId: '222000-0001',
        name: 'Samordningsförbundet Järfälla',
        countyCode: '01',
        chief: { name: 'Anna Andersson', email: 'anna@example.org' },
        endpoint: { url: 'https://finsam.example.org/kur', secretSet: true, disabledAt: null },
        active: true,
        memberMunicipalityCodes: [],
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect((await call('GET', `/api/v1/associations/${created.body.id}`)).body).toEqual(created.body);

      const [stored] = await api.dataSource.query(
        'SELECT endpoint_secret_encrypted FROM coordination_association WHERE id = $1',
        [created.body.id],
      );
      expect(stored.endpoint_secret_encrypted).toMatch(/^v1\./);
      expect(stored.endpoint_secret_encrypted).not.toContain(SECRET.slice(6));
      const events = await auditOf(api.dataSource, created.body.id);
      expect(events).toEqual([expect.objectContaining({ action: 'association.created', actor: 'admin:admin-tester' })]);
      expect(events[0].changes).toMatchObject({
        name: [null, 'Samordningsförbundet Järfälla'],
        endpointUrl: [null, 'https://finsam.example.org/kur'],
      });
      expect(JSON.stringify(events)).not.toContain(SECRET.slice(6));
    });

    it('creates a pulling association without chief or endpoint', async () => {
      const { association } = await create();
      expect(association).toMatchObject({ chief: null, endpoint: null, active: true });
    });

    it('refuses a duplicate external id (409) and an unknown county (KNOWN_COUNTY), writing nothing', async () => {
      const { association } = await create();
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      const duplicate = await call('POST', '/api/v1/associations', {
        body: { externalId: association.externalId, name: 'Dubblett', countyCode: '01' },
      });
      expectProblem(duplicate, 409);
      const unknownCounty = await call('POST', '/api/v1/associations', {
        body: { externalId: '222000-9999', name: 'Okänt län', countyCode: '99' },
      });
      expectRule(unknownCounty, 'KNOWN_COUNTY');
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });

    it('checks endpoint URLs and secrets, unknown fields, types and malformed JSON (400), writing nothing', async () => {
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      const body = { externalId: '222000-8888', name: 'Felaktigt', countyCode: '01' };
      const endpoint = (url: string, secret = SECRET) => ({ ...body, endpoint: { url, secret } });
      for (const url of [
        'https://user:pw@finsam.example.org/x',
        'https://user@finsam.example.org/x',
        'ftp://finsam.example.org/x',
        'javascript:alert(1)',
        'finsam.example.org/x',
      ]) {
        const response = await call('POST', '/api/v1/associations', { body: endpoint(url) });
        expectFieldError(response, 'endpoint.url');
        expect(JSON.stringify(response.body)).not.toContain(SECRET.slice(6));
      }
      expectFieldError(
        await call('POST', '/api/v1/associations', { body: endpoint('https://ok.example.org', 'hunter2') }),
        'endpoint.secret',
      );
      expectFieldError(
        await call('POST', '/api/v1/associations', { body: { ...body, endpoint: { url: 'https://ok.example.org' } } }),
        'endpoint.secret',
      );
      expectFieldError(await call('POST', '/api/v1/associations', { body: { ...body, active: false } }), 'active');
      expectFieldError(
        await call('POST', '/api/v1/associations', { body: { ...body, chief: { name: 'A', email: 'a@b.se', x: 1 } } }),
        'chief.x',
      );
      const wrongTypes = await call('POST', '/api/v1/associations', {
        body: { externalId: 5, name: ['x'], countyCode: 1, chief: { name: 'A', email: 'not-an-email' } },
      });
      expectProblem(wrongTypes, 400);
      expect(wrongTypes.body.errors.map((error: { field: string }) => error.field)).toEqual(
        expect.arrayContaining(['externalId', 'name', 'countyCode', 'chief.email']),
      );
      expectFieldError(
        await call('POST', '/api/v1/associations', { body: { ...body, countyCode: '1' } }),
        'countyCode',
      );
      expectProblem(await call('POST', '/api/v1/associations', { rawBody: '{"name": "x",}' }), 400);
      expectProblem(
        await call('POST', '/api/v1/associations', { body: { ...body, name: 'x'.repeat(1024 * 1024) } }),
        413,
      );
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });
  });

  describe('update', () => {
    it('changes name, chief and endpoint with If-Match, bumping the ETag, and audits without the secret', async () => {
      const { association, etag } = await create({ endpoint: { url: 'https://a.example.org/kur', secret: SECRET } });
      const renamed = await patch(
        association.id,
        {
          name: 'Nytt namn',
          chief: { name: 'Bo Berg', email: 'bo@example.org' },
          endpoint: { url: 'https://b.example.org/kur', secret: NEW_SECRET },
        },
        etag,
      );
      expect(renamed.status).toBe(200);
      expect(renamed.headers.get('etag')).toBe('"2"');
      expect(renamed.body).toMatchObject({
        name: 'Nytt namn',
        chief: { name: 'Bo Berg', email: 'bo@example.org' },
        endpoint: { url: 'https://b.example.org/kur', secretSet: true, disabledAt: null },
        version: 2,
      });
      const pulled = await patch(association.id, { endpoint: null, chief: null, active: false }, '"2"');
      expect(pulled.status).toBe(200);
      expect(pulled.body).toMatchObject({ endpoint: null, chief: null, active: false, version: 3 });
      const [stored] = await api.dataSource.query(
        'SELECT endpoint_url, endpoint_secret_encrypted FROM coordination_association WHERE id = $1',
        [association.id],
      );
      expect(stored).toEqual({ endpoint_url: null, endpoint_secret_encrypted: null });

      const events = await auditOf(api.dataSource, association.id);
      expect(events.map((event) => event.action)).toEqual([
        'association.created',
        'association.updated',
        'association.updated',
      ]);
      expect(events[0].changes).toMatchObject({ endpointSecret: 'set' });
      expect(events[1].changes).toMatchObject({
        name: [expect.any(String), 'Nytt namn'],
        endpointUrl: ['https://a.example.org/kur', 'https://b.example.org/kur'],
        endpointSecret: 'replaced',
      });
      expect(events[2].changes).toMatchObject({
        active: [true, false],
        endpointUrl: ['https://b.example.org/kur', null],
      });
      const texts = JSON.stringify(await api.dataSource.query('SELECT changes FROM audit_event'));
      expect(texts).not.toContain(SECRET.slice(6));
      expect(texts).not.toContain(NEW_SECRET.slice(6));
    });

    it('needs If-Match (428), refuses a stale one (412) and bad input (400), changing nothing', async () => {
      const { association, etag } = await create();
      expect((await patch(association.id, { name: 'Version 2' }, etag)).status).toBe(200);
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      expectProblem(await patch(association.id, { name: 'Utan If-Match' }), 428);
      const stale = await patch(association.id, { name: 'Gammal' }, etag);
      expectProblem(stale, 412);
      expectProblem(await patch(association.id, { name: 'Konstig' }, 'W/"x"'), 412);
      expectFieldError(await patch(association.id, { externalId: 'byt' }, '"2"'), 'externalId');
      expectFieldError(await patch(association.id, { countyCode: '04' }, '"2"'), 'countyCode');
      expectFieldError(await patch(association.id, { active: 'yes' }, '"2"'), 'active');
      expectFieldError(
        await patch(association.id, { endpoint: { url: 'https://u:p@x.example.org', secret: SECRET } }, '"2"'),
        'endpoint.url',
      );
      expectProblem(
        await call('PATCH', `/api/v1/associations/${association.id}`, {
          rawBody: '{"name"',
          headers: { 'if-match': '"2"' },
        }),
        400,
      );
      expectProblem(await patch(association.id, { name: 'x'.repeat(1024 * 1024 + 10) }, '"2"'), 413);
      expectProblem(await patch('00000000-0000-4000-8000-000000000000', { name: 'Ingen' }, '"1"'), 404);
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });
  });

  describe('memberships', () => {
    it('pages through memberships with a small limit', async () => {
      const { items, pages } = await pageAll(`/api/v1/associations/${sormlandId}/memberships`, 4);
      expect(pages).toBe(3);
      expect(items.map((item) => item.municipalityCode).sort()).toEqual([
        '0428',
        '0461',
        '0480',
        '0481',
        '0482',
        '0483',
        '0484',
        '0486',
        '0488',
      ]);
      for (const item of items) expect(item).toMatchObject({ associationId: sormlandId, validTo: null });
      expect(items.find((item) => item.municipalityCode === '0484')).toMatchObject({ municipalityName: 'Eskilstuna' });
      expectFieldError(await call('GET', `/api/v1/associations/${sormlandId}/memberships?limit=999`), 'limit');
    });

    it('adds a municipality that belongs nowhere, and closes the membership without deleting it', async () => {
      const { association } = await create();
      const added = await addMember(association.id, { municipalityCode: '0123', validFrom: '2020-01-01' });
      expect(added.status).toBe(201);
      expect(added.body).toEqual({
        id: expect.any(String),
        associationId: association.id,
        municipalityCode: '0123',
        municipalityName: 'Järfälla',
        validFrom: '2020-01-01',
        validTo: null,
      });
      const listed = await call('GET', '/api/v1/associations?municipalityCode=0123');
      expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([association.id]);
      expect((await call('GET', `/api/v1/associations/${association.id}`)).body.memberMunicipalityCodes).toEqual([
        '0123',
      ]);

      const closed = await close(association.id, added.body.id, { validTo: '2024-06-30' });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ id: added.body.id, validFrom: '2020-01-01', validTo: '2024-06-30' });
      const history = await call('GET', `/api/v1/associations/${association.id}/memberships`);
      expect(history.body.items).toEqual([closed.body]);
      expect((await call('GET', '/api/v1/associations?municipalityCode=0123')).body.items).toEqual([]);

      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      expectProblem(await close(association.id, added.body.id), 409);
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);

      expect((await auditOf(api.dataSource, association.id)).map((event) => [event.action, event.changes])).toEqual([
        ['association.created', expect.any(Object)],
        ['membership.opened', { municipalityCode: '0123', validFrom: '2020-01-01' }],
        ['membership.closed', { municipalityCode: '0123', validTo: '2024-06-30' }],
      ]);
    });

    it('defaults validFrom and validTo to today', async () => {
      const { association } = await create();
      const added = await addMember(association.id, { municipalityCode: '0125' });
      expect(added.status).toBe(201);
      expect(added.body.validFrom).toBe(today());
      const closed = await close(association.id, added.body.id);
      expect(closed.body.validTo).toBe(today());
    });

    it('refuses a municipality that is a current member elsewhere and leaves the database exactly as before', async () => {
      const { association } = await create();
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      const response = await addMember(association.id, { municipalityCode: '0180' });
      expectRule(response, 'ONE_ASSOCIATION_AT_A_TIME');
      expect(response.body.detail).toContain('0180');
      expectRule(await addMember(stockholmId, { municipalityCode: '0180' }), 'ONE_ASSOCIATION_AT_A_TIME');
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });

    it('refuses a membership that would overlap a closed one still running on its start date', async () => {
      const { association: first } = await create();
      const { association: second } = await create();
      const joined = await addMember(first.id, { municipalityCode: '0139', validFrom: '2020-01-01' });
      expect(joined.status).toBe(201);
      expect((await close(first.id, joined.body.id, { validTo: '2030-12-31' })).body.validTo).toBe('2030-12-31');
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      expectRule(
        await addMember(second.id, { municipalityCode: '0139', validFrom: '2025-01-01' }),
        'ONE_ASSOCIATION_AT_A_TIME',
      );
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
      const after = await addMember(second.id, { municipalityCode: '0139', validFrom: '2030-12-31' });
      expect(after.status).toBe(201);
    });

    it('lets only one of two concurrent adds of the same municipality to different associations win', async () => {
      const { association: first } = await create();
      const { association: second } = await create();
      const blocker = api.dataSource.createQueryRunner();
      await blocker.connect();
      let results: ApiResponse[];
      try {
        // Hold the adds just before their last write (the audit event), so both have done their checks
        // by the time they can commit: without a per-municipality lock both would then succeed.
        await blocker.startTransaction();
        await blocker.query('LOCK TABLE audit_event IN SHARE MODE');
        const pending = Promise.all([
          addMember(first.id, { municipalityCode: '0140' }),
          addMember(second.id, { municipalityCode: '0140' }),
        ]);
        await waitForLockWaiters(2);
        await blocker.rollbackTransaction();
        results = await pending;
      } finally {
        if (blocker.isTransactionActive) await blocker.rollbackTransaction();
        await blocker.release();
      }
      expect(results.map((result) => result.status).sort()).toEqual([201, 422]);
      expect(results.find((result) => result.status === 422)?.body.rule).toBe('ONE_ASSOCIATION_AT_A_TIME');
      const rows = await api.dataSource.query(
        "SELECT association_id FROM membership WHERE municipality_code = '0140' AND valid_to IS NULL",
      );
      expect(rows).toHaveLength(1);
    });

    it('refuses an unknown (KNOWN_MUNICIPALITY) or malformed (400) municipality and a bad period', async () => {
      const { association } = await create();
      const added = await addMember(association.id, { municipalityCode: '0186', validFrom: '2021-01-01' });
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      expectRule(await addMember(association.id, { municipalityCode: '0000' }), 'KNOWN_MUNICIPALITY');
      expectFieldError(await addMember(association.id, { municipalityCode: '180' }), 'municipalityCode');
      expectFieldError(await addMember(association.id, { municipalityCode: 180 }), 'municipalityCode');
      expectFieldError(await addMember(association.id, {}), 'municipalityCode');
      expectFieldError(
        await addMember(association.id, { municipalityCode: '0186', validFrom: '1 jan 2021' }),
        'validFrom',
      );
      expectFieldError(await addMember(association.id, { municipalityCode: '0186', validTo: null }), 'validTo');
      expectProblem(
        await call('POST', `/api/v1/associations/${association.id}/memberships`, { rawBody: '{municipalityCode}' }),
        400,
      );
      expectProblem(await addMember(association.id, { municipalityCode: '0186', pad: 'x'.repeat(1024 * 1024) }), 413);
      expectRule(await close(association.id, added.body.id, { validTo: '2020-12-31' }), 'MEMBERSHIP_PERIOD');
      expectFieldError(await close(association.id, added.body.id, { validTo: 20211231 }), 'validTo');
      expectFieldError(await close(association.id, added.body.id, { reason: 'flytt' }), 'reason');
      expectProblem(
        await call('POST', `/api/v1/associations/${association.id}/memberships/${added.body.id}/close`, {
          rawBody: '[',
        }),
        400,
      );
      expectProblem(
        await close(association.id, added.body.id, { validTo: '2099-01-01', pad: 'x'.repeat(1100000) }),
        413,
      );
      expectFieldError(await close(association.id, 'not-a-uuid'), 'membershipId');
      const unknown = '00000000-0000-4000-8000-000000000000';
      expectProblem(await addMember(unknown, { municipalityCode: '0186' }), 404);
      expectProblem(await close(unknown, added.body.id), 404);
      expectProblem(await close(stockholmId, added.body.id), 404);
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });
  });

  describe('authentication and scope', () => {
    const endpoints = (id: string, membershipId: string) => [
      { method: 'GET', path: '/api/v1/associations', body: undefined },
      { method: 'GET', path: `/api/v1/associations/${id}`, body: undefined },
      { method: 'POST', path: '/api/v1/associations', body: { externalId: 'x-1', name: 'X', countyCode: '01' } },
      { method: 'PATCH', path: `/api/v1/associations/${id}`, body: { name: 'X' } },
      { method: 'GET', path: `/api/v1/associations/${id}/memberships`, body: undefined },
      { method: 'POST', path: `/api/v1/associations/${id}/memberships`, body: { municipalityCode: '0123' } },
      { method: 'POST', path: `/api/v1/associations/${id}/memberships/${membershipId}/close`, body: {} },
    ];

    it('answers 401 without a token on every endpoint', async () => {
      const [membership] = await api.dataSource.query('SELECT id FROM membership WHERE association_id = $1', [
        stockholmId,
      ]);
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      for (const { method, path, body } of endpoints(stockholmId, membership.id)) {
        const response = await call(method, path, { token: null, body, headers: { 'if-match': '"1"' } });
        expectProblem(response, 401);
      }
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
    });

    it('shows a chief only their own association: others are 404, lists hold only their own', async () => {
      const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholmId });
      const own = await call('GET', `/api/v1/associations/${stockholmId}`, { token: chief });
      expect(own.status).toBe(200);
      expect((await call('GET', `/api/v1/associations/${stockholmId}/memberships`, { token: chief })).status).toBe(200);
      expectProblem(await call('GET', `/api/v1/associations/${sormlandId}`, { token: chief }), 404);
      expectProblem(await call('GET', `/api/v1/associations/${sormlandId}/memberships`, { token: chief }), 404);
      const { items } = await pageAll('/api/v1/associations', 1, chief);
      expect(items.map((item) => item.id)).toEqual([stockholmId]);
      const filtered = await call('GET', '/api/v1/associations?municipalityCode=0484', { token: chief });
      expect(filtered.body.items).toEqual([]);
    });

    it('lets only administrators write: chiefs (even for their own), coordinators and services get 403', async () => {
      const [membership] = await api.dataSource.query('SELECT id FROM membership WHERE association_id = $1', [
        stockholmId,
      ]);
      const tokens = [
        await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholmId }),
        await api.tokenFor(Role.COORDINATOR, { areas: [] }),
        api.tokens.service,
      ];
      const before = await snapshot(api.dataSource, ASSOCIATION_TABLES);
      for (const token of tokens) {
        for (const { method, path, body } of endpoints(stockholmId, membership.id)) {
          if (method === 'GET') continue;
          const response = await call(method, path, { token, body, headers: { 'if-match': '"1"' } });
          expectProblem(response, 403);
        }
      }
      expect(await snapshot(api.dataSource, ASSOCIATION_TABLES)).toEqual(before);
      const service = await call('GET', `/api/v1/associations/${stockholmId}`, { token: api.tokens.service });
      expect(service.status).toBe(200);
    });
  });

  it('never returns an endpoint secret in any response of this file (bodies and headers)', async () => {
    const endpoint = { url: 'https://leak.example.org/kur', secret: SECRET };
    const { association, etag } = await create({ endpoint });
    const rotate = { endpoint: { ...endpoint, secret: NEW_SECRET } };
    expectProblem(await patch(association.id, rotate), 428);
    expectProblem(await patch(association.id, rotate, '"9"'), 412);
    expectFieldError(await patch(association.id, { ...rotate, name: '' }, etag), 'name');
    expect((await patch(association.id, rotate, etag)).status).toBe(200);
    expect((await call('GET', `/api/v1/associations/${association.id}`)).body.endpoint.secretSet).toBe(true);
    await pageAll('/api/v1/associations', 200);
    expect(seen.join('\n')).toContain('"secretSet":true');
    const leaked = seen.filter((text) => text.includes(SECRET.slice(6)) || text.includes(NEW_SECRET.slice(6)));
    expect(leaked).toEqual([]);
  });
});
