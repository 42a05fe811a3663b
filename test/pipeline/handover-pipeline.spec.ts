import { DataSource } from 'typeorm';
import type { Handover } from '../../src/handovers/handover.entity';
import { PackageBuilder } from '../../src/handovers/package-builder';
import { Role } from '../../src/auth/principal';
import { PrioService } from '../../src/prio/prio.service';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, expectOk, finishedWork, handoversOf, prioRow, setEndpoint } from './kur-fixtures';

/** The package the handover's modules build for it with their own reads (the path a resolved handover takes). */
async function packageReadByModules(api: TestApp, delivered: any): Promise<unknown> {
  const builder = api.app.get(PackageBuilder);
  const manager = api.app.get(DataSource).manager;
  const handover = {
    id: delivered.handoverId,
    revision: delivered.revision,
    municipalityCodes: delivered.municipalities.map((municipality: { code: string }) => municipality.code),
  } as Handover;
  return builder.build(manager, handover, await builder.areaWork(manager, delivered.area), delivered.recipient);
}

/** A package without the moments it was generated and its readiness assessed. */
const withoutTimes = ({ generatedAt: _generatedAt, readiness, ...rest }: any) => ({
  ...rest,
  readiness: { ...readiness, assessedAt: undefined },
});

describe('handover pipeline: finish, route, resolve, deliver, accept', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let stockholm: { id: string; name: string };
  let varna: { id: string; name: string };

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    receiver = await startAssociationReceiver();
    stockholm = await associationByMember(api, '0180');
    varna = await associationByMember(api, '0120');
    await setEndpoint(api, stockholm.id, receiver.addReceiver('stockholm'));
    await setEndpoint(api, varna.id, receiver.addReceiver('varna'));
    await api.app
      .get(PrioService)
      .upsertBatch(['0180', '0120', '0123', '0484'].flatMap((code) => [prioRow(code, 2014), prioRow(code, 2015)]));
  });

  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('hands an area over to both associations and holds the uncovered municipality for resolution', async () => {
    // 0180 is in Stockholms stad; 0120 and 0182 in VärNa; 0123 Järfälla in no association.
    const areaId = await finishedWork(api, 'Järva med partner', ['0180', '0120', '0182', '0123']);
    const finished = await api.request('POST', `/api/v1/areas/${areaId}/finish`);
    expect(finished.status).toBe(202);
    expect(finished.body.area.status).toBe('FINISHED');

    const handovers = await waitFor(
      async () => {
        const all = await handoversOf(api, areaId);
        const delivered = all.filter((handover) => handover.status === 'DELIVERED');
        return delivered.length === 2 && all.length === 3 && all;
      },
      { what: 'two delivered handovers and one waiting' },
    );
    const byRecipient = Object.fromEntries(
      handovers.map((handover) => [handover.recipient.associationId ?? 'none', handover]),
    );
    expect(byRecipient[stockholm.id].municipalityCodes).toEqual(['0180']);
    expect(byRecipient[varna.id].municipalityCodes.sort()).toEqual(['0120', '0182']);
    expect(byRecipient.none).toMatchObject({ status: 'PENDING_RESOLUTION', municipalityCodes: ['0123'] });

    const [toStockholm] = receiver.deliveries('stockholm');
    expect(toStockholm.payload.type).toBe('kur.handover.created');
    const stockholmPackage = toStockholm.payload.data;
    expect(stockholmPackage).toMatchObject({
      schemaVersion: 2,
      handoverId: byRecipient[stockholm.id].id,
      revision: 1,
      recipient: { type: 'ASSOCIATION', associationId: stockholm.id, name: stockholm.name },
      area: { name: 'Järva med partner', kurRegion: 'STOCKHOLM', kurPhase: 'KUR2' },
      municipalities: [{ code: '0180', name: 'Stockholm' }],
    });
    expect(
      stockholmPackage.prioInventories.map(
        (row: { municipalityCode: string; year: number }) => `${row.municipalityCode}/${row.year}`,
      ),
    ).toEqual(['0180/2014', '0180/2015']);
    expect(stockholmPackage.activities).toHaveLength(2);
    expect(stockholmPackage.plans).toEqual([
      expect.objectContaining({ kind: 'COOPERATION', status: 'AGREED', revision: 1 }),
    ]);
    expect(stockholmPackage.plans[0].signOffs).toHaveLength(4);
    const varnaPackage = receiver.deliveries('varna')[0].payload.data;
    expect(varnaPackage.prioInventories.map((row: { municipalityCode: string }) => row.municipalityCode)).toEqual([
      '0120',
      '0120',
    ]);
    expect(toStockholm.webhookId).toBe(byRecipient[stockholm.id].deliveryId);
    // Routing reads the work in one statement; each package is what the owning modules' own reads build.
    for (const delivered of [stockholmPackage, varnaPackage]) {
      expect(withoutTimes(delivered)).toEqual(withoutTimes(await packageReadByModules(api, delivered)));
    }

    // The administrators' queue holds Järfälla; assigning it to an association delivers a third handover.
    const cases = await expectOk(api.request('GET', '/api/v1/resolution-cases?status=OPEN&countyCode=01'));
    expect(cases.items).toEqual([
      expect.objectContaining({ municipalityCode: '0123', reason: 'NO_ASSOCIATION', handoverId: byRecipient.none.id }),
    ]);
    const taker = await expectOk(
      api.request('POST', '/api/v1/associations', {
        body: {
          externalId: 'jarfalla-test',
          name: 'Samordningsförbundet Järfälla (test)',
          countyCode: '01',
          endpoint: receiver.addReceiver('jarfalla'),
        },
      }),
    );
    const resolved = await api.request('POST', `/api/v1/resolution-cases/${cases.items[0].id}/resolve`, {
      body: { resolution: 'ASSIGN_ASSOCIATION', associationId: taker.id },
    });
    expect(resolved.status).toBe(200);
    await waitFor(() => receiver.deliveries('jarfalla').length === 1, {
      what: 'the third handover at its receiver',
    });
    const third = receiver.deliveries('jarfalla')[0].payload.data;
    expect(third.municipalities).toEqual([{ code: '0123', name: 'Järfälla' }]);
    expect(third.prioInventories.map((row: { municipalityCode: string }) => row.municipalityCode)).toEqual([
      '0123',
      '0123',
    ]);
    const closed = await expectOk(api.request('GET', `/api/v1/resolution-cases/${cases.items[0].id}`));
    expect(closed).toMatchObject({ status: 'RESOLVED', resolution: 'ASSIGN_ASSOCIATION' });
  });

  it('answers a second finish with the existing handovers, and concurrent finishes make one set', async () => {
    const areaId = await finishedWork(api, 'Solna med partner', ['0180']);
    const [first, second] = await Promise.all([
      api.request('POST', `/api/v1/areas/${areaId}/finish`),
      api.request('POST', `/api/v1/areas/${areaId}/finish`),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 202]);
    await waitFor(async () => (await handoversOf(api, areaId)).some((handover) => handover.status === 'DELIVERED'), {
      what: 'delivery',
    });
    const again = await api.request('POST', `/api/v1/areas/${areaId}/finish`);
    expect(again.status).toBe(200);
    expect(again.body.handovers).toHaveLength(1);
    expect(await handoversOf(api, areaId)).toHaveLength(1);
  });

  it('refuses to finish unfinished work, naming what is missing', async () => {
    const area = await expectOk(
      api.request('POST', '/api/v1/areas', {
        body: {
          name: 'Ofärdigt område',
          kurRegion: 'MITT',
          kurPhase: 'KUR2',
          grantedSek: 1000,
          municipalityCodes: ['0484'],
        },
      }),
    );
    const draft = await api.request('POST', `/api/v1/areas/${area.id}/finish`);
    expect(draft.status).toBe(422);
    expect(draft.body.rule).toBe('STATUS_TRANSITION');
  });

  it("lets a chief read, accept and decline only their own association's handovers", async () => {
    const areaId = await finishedWork(api, 'Norrort med partner', ['0180', '0120']);
    await api.request('POST', `/api/v1/areas/${areaId}/finish`);
    const handovers = await waitFor(async () => {
      const all = await handoversOf(api, areaId);
      return all.length === 2 && all.every((handover) => handover.status === 'DELIVERED') && all;
    });
    const mine = handovers.find((handover) => handover.recipient.associationId === stockholm.id);
    const theirs = handovers.find((handover) => handover.recipient.associationId === varna.id);
    const chief = await api.tokenFor(Role.ASSOCIATION_CHIEF, { association: stockholm.id });

    const feed = await api.request('GET', `/api/v1/associations/${stockholm.id}/handovers`, { token: chief });
    expect(feed.status).toBe(200);
    expect(feed.body.items.map((item: { id: string }) => item.id)).toContain(mine.id);
    expect((await api.request('GET', `/api/v1/associations/${varna.id}/handovers`, { token: chief })).status).toBe(404);
    expect((await api.request('GET', `/api/v1/handovers/${theirs.id}`, { token: chief })).status).toBe(404);
    const decideTheirs = await api.request('POST', `/api/v1/handovers/${theirs.id}/decision`, {
      token: chief,
      body: { decision: 'ACCEPTED' },
    });
    expect(decideTheirs.status).toBe(404);

    const listed = await expectOk(api.request('GET', '/api/v1/handovers?order=desc&limit=200', { token: chief }));
    expect(listed.items.map((item: { id: string }) => item.id)).not.toContain(theirs.id);
    expect(listed.items.find((item: { id: string }) => item.id === mine.id)).toEqual(
      expect.objectContaining({
        areaName: 'Norrort med partner',
        municipalities: [{ code: '0180', name: 'Stockholm' }],
      }),
    );
    const created = listed.items.map((item: { createdAt: string }) => item.createdAt);
    expect(created).toEqual([...created].sort().reverse());
    // Newest first pages by cursor like oldest first: the same rows, in the opposite order.
    const oldest = await expectOk(api.request('GET', '/api/v1/handovers?limit=200'));
    const newest: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await expectOk(api.request('GET', `/api/v1/handovers?order=desc&limit=1${query}`));
      newest.push(...page.items.map((item: { id: string }) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(newest).toEqual(oldest.items.map((item: { id: string }) => item.id).reverse());

    const read = await api.request('GET', `/api/v1/handovers/${mine.id}`, { token: chief });
    expect(read.status).toBe(200);
    expect(read.body.attempts).toEqual([
      expect.objectContaining({ attemptNumber: 1, httpStatus: 200, outcome: 'DELIVERED' }),
    ]);
    const noReason = await api.request('POST', `/api/v1/handovers/${mine.id}/decision`, {
      token: chief,
      body: { decision: 'DECLINED' },
    });
    expect(noReason.status).toBe(400);
    const declined = await api.request('POST', `/api/v1/handovers/${mine.id}/decision`, {
      token: chief,
      body: { decision: 'DECLINED', reason: 'Stockholm har ingen kapacitet i år' },
    });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('DECLINED');
    const reopened = await expectOk(api.request('GET', '/api/v1/resolution-cases?status=OPEN&limit=200'));
    expect(reopened.items).toContainEqual(
      expect.objectContaining({
        municipalityCode: '0180',
        reason: 'DECLINED',
        reasonDetail: 'Stockholm har ingen kapacitet i år',
      }),
    );
  });
});
