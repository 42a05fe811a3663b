import { Role } from '../../src/auth/principal';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import {
  PLAN_CONTENT,
  associationByMember,
  expectOk,
  finishedWork,
  handoversOf,
  setEndpoint,
  signOff,
} from './kur-fixtures';

describe('resolution queue, handover revisions and the queue board', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    receiver = await startAssociationReceiver();
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  /** A finished area over one uncovered municipality, and its open case. */
  async function waitingCase(name: string, municipalityCode: string) {
    const areaId = await finishedWork(api, name, [municipalityCode]);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const found = await waitFor(async () => {
      const cases = await expectOk(api.request('GET', '/api/v1/resolution-cases?status=OPEN&limit=200'));
      return cases.items.find((item: { municipalityCode: string }) => item.municipalityCode === municipalityCode);
    });
    return { areaId, found };
  }

  const handoverStatus = (id: string, status: string) =>
    waitFor(
      async () => {
        const read = await expectOk(api.request('GET', `/api/v1/handovers/${id}`));
        return read.status === status && read;
      },
      { what: `handover ${id} ${status}` },
    );

  it('delivers straight to a municipality that takes the baton itself', async () => {
    const { found } = await waitingCase('Ekerö med partner', '0125');
    const endpoint = receiver.addReceiver('ekero');
    const resolved = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: {
        resolution: 'DIRECT_TO_MUNICIPALITY',
        direct: { contactName: 'Socialchefen', contactEmail: 'social@ekero.example', endpoint },
      },
    });
    expect(resolved.status).toBe(200);
    expect(JSON.stringify(resolved.body)).not.toContain(endpoint.secret.slice(6));
    const delivered = await handoverStatus(found.handoverId, 'DELIVERED');
    expect(delivered.recipient).toMatchObject({
      type: 'MUNICIPALITY',
      municipalityCode: '0125',
      endpoint: { url: endpoint.url, secretSet: true },
    });
    expect(receiver.deliveries('ekero')[0].payload.data.recipient).toMatchObject({
      type: 'MUNICIPALITY',
      municipalityCode: '0125',
    });
  });

  it('keeps a direct handover nobody can receive waiting for a recipient, listed as such, never DELIVERED', async () => {
    const { found } = await waitingCase('Solna med partner', '0184');
    const resolved = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: {
        resolution: 'DIRECT_TO_MUNICIPALITY',
        direct: { contactName: 'Socialchefen', contactEmail: 'social@solna.example' },
      },
    });
    expect(resolved.status).toBe(200);
    const settled = await waitFor(
      async () => {
        const read = await expectOk(api.request('GET', `/api/v1/handovers/${found.handoverId}`));
        return !['PENDING_RESOLUTION', 'READY'].includes(read.status) && read;
      },
      { what: 'the resolved handover to settle' },
    );
    expect(settled).toMatchObject({
      status: 'AWAITING_RECIPIENT',
      deliveredAt: null,
      attempts: [],
      recipient: { type: 'MUNICIPALITY', municipalityCode: '0184', endpoint: null },
    });
    expect(settled.package.recipient).toMatchObject({ type: 'MUNICIPALITY', municipalityCode: '0184' });
    const undeliverable = await expectOk(api.request('GET', '/api/v1/handovers?status=AWAITING_RECIPIENT'));
    expect(undeliverable.items.map((handover: { id: string }) => handover.id)).toEqual([found.handoverId]);
    const outbox = await api.dataSource.query(
      `SELECT 1 FROM outbox_message WHERE job_name = 'deliver-handover' AND payload->>'handoverId' = $1`,
      [found.handoverId],
    );
    expect(outbox).toHaveLength(0);

    // An administrator learns where the municipality can receive it: it is sent there.
    const endpoint = receiver.addReceiver('solna');
    const path = `/api/v1/handovers/${found.handoverId}/recipient-endpoint`;
    const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [] });
    expect((await api.request('POST', path, { body: endpoint, token: coordinator })).status).toBe(403);
    expect((await api.request('POST', path, { body: { url: 'ftp://x' } })).status).toBe(400);
    const sent = await api.request('POST', path, { body: endpoint });
    expect(sent.status).toBe(202);
    expect(JSON.stringify(sent.body)).not.toContain(endpoint.secret.slice(6));
    const delivered = await handoverStatus(found.handoverId, 'DELIVERED');
    expect(delivered.recipient.endpoint).toEqual({ url: endpoint.url, secretSet: true });
    expect(receiver.deliveries('solna').map((delivery) => delivery.webhookId)).toEqual([delivered.deliveryId]);
    expect((await api.request('POST', path, { body: endpoint })).status).toBe(409);
  });

  it('needs the recipient of a direct resolution', async () => {
    const { found } = await waitingCase('Lidingö med partner', '0186');
    const missing = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: { resolution: 'DIRECT_TO_MUNICIPALITY' },
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((error: { field: string }) => error.field)).toContain('direct');
  });

  it('names the area, municipality and county of a case, in the list and alone, and filters by county', async () => {
    const { areaId, found } = await waitingCase('Järfälla med partner', '0123');
    const named = {
      areaId,
      areaName: 'Järfälla med partner',
      municipalityCode: '0123',
      municipalityName: 'Järfälla',
      countyCode: '01',
      countyName: 'Stockholms län',
    };
    expect(found).toMatchObject(named);
    expect(await expectOk(api.request('GET', `/api/v1/resolution-cases/${found.id}`))).toMatchObject(named);
    const stockholm = await expectOk(api.request('GET', '/api/v1/resolution-cases?countyCode=01&limit=200'));
    expect(stockholm.items.map((item: { id: string }) => item.id)).toContain(found.id);
    const elsewhere = await expectOk(api.request('GET', '/api/v1/resolution-cases?countyCode=04&limit=200'));
    expect(elsewhere.items.map((item: { id: string }) => item.id)).not.toContain(found.id);
  });

  it('waives a case only with a reason', async () => {
    const { found } = await waitingCase('Upplands-Bro med partner', '0139');
    const noReason = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: { resolution: 'WAIVED' },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors.map((error: { field: string }) => error.field)).toEqual(['reason', 'reason']);
    const waived = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: { resolution: 'WAIVED', reason: 'Arbetet lever vidare i kommunens egen verksamhet' },
    });
    expect(waived.status).toBe(200);
    await handoverStatus(found.handoverId, 'WAIVED');
    const twice = await api.request('POST', `/api/v1/resolution-cases/${found.id}/resolve`, {
      body: { resolution: 'WAIVED', reason: 'igen' },
    });
    expect(twice.status).toBe(409);
  });

  it('resolves a case by itself when its municipality joins an association', async () => {
    const { found } = await waitingCase('Nykvarn med partner', '0140');
    const sodertalje = await associationByMember(api, '0181');
    await setEndpoint(api, sodertalje.id, receiver.addReceiver('sodertalje'));
    await expectOk(
      api.request('POST', `/api/v1/associations/${sodertalje.id}/memberships`, { body: { municipalityCode: '0140' } }),
    );
    const delivered = await handoverStatus(found.handoverId, 'DELIVERED');
    expect(delivered.recipient.associationId).toBe(sodertalje.id);
    const closed = await expectOk(api.request('GET', `/api/v1/resolution-cases/${found.id}`));
    expect(closed).toMatchObject({
      status: 'RESOLVED',
      resolution: 'ASSIGN_ASSOCIATION',
      resolvedBy: 'system:membership',
    });
  });

  it('hands over a new revision that supersedes the old one when a plan is agreed anew after handover', async () => {
    const stockholm = await associationByMember(api, '0180');
    await setEndpoint(api, stockholm.id, receiver.addReceiver('stockholm'));
    const areaId = await finishedWork(api, 'Kungsholmen med partner', ['0180']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [first] = await waitFor(async () => {
      const all = await handoversOf(api, areaId);
      return all.length === 1 && all[0].status === 'DELIVERED' && all;
    });
    const [plan] = (await expectOk(api.request('GET', `/api/v1/plans?limit=200`))).items
      .filter((item: { status: string; activityId: string }) => item.status === 'AGREED')
      .slice(-1);
    const read = await api.request('GET', `/api/v1/plans/${plan.id}`);
    const revised = await api.request('POST', `/api/v1/plans/${plan.id}/revisions`, {
      body: { content: { ...PLAN_CONTENT, targetGroup: 'Reviderad målgrupp' } },
      headers: { 'if-match': read.headers.get('etag') as string },
    });
    expect(revised.status).toBe(201);
    for (const principal of ['FK', 'AF', 'MUNICIPALITY', 'REGION']) await signOff(api, plan.id, principal);
    const both = await waitFor(
      async () => {
        const all = await handoversOf(api, areaId);
        return all.length === 2 && all.every((handover) => handover.status === 'DELIVERED') && all;
      },
      { what: 'the second revision delivered' },
    );
    const second = both.find((handover) => handover.revision === 2);
    expect((await expectOk(api.request('GET', `/api/v1/handovers/${first.id}`))).supersededById).toBe(second.id);
    const received = receiver
      .deliveries('stockholm')
      .find((delivery) => delivery.payload.data.handoverId === second.id);
    expect(received?.payload.data.plans[0]).toMatchObject({
      revision: 2,
      content: expect.objectContaining({ targetGroup: 'Reviderad målgrupp' }),
    });
  });

  it('shows the queue board to administrators only', async () => {
    expect((await api.request('GET', '/admin/queues', { token: null })).status).toBe(401);
    const coordinator = await api.tokenFor(Role.COORDINATOR, { areas: [] });
    expect((await api.request('GET', '/admin/queues', { token: coordinator })).status).toBe(403);
    const board = await api.request('GET', '/admin/queues');
    expect(board.status).toBe(200);
    expect(String(board.body)).toContain('<html');
  });
});
