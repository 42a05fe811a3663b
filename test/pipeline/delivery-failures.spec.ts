import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { expectOk, finishedWork, handoversOf } from './kur-fixtures';

/** Each test gets its own association (and receiver path) covering one municipality. */
describe('delivery when the receiver misbehaves', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let counter = 0;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
    receiver = await startAssociationReceiver();
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  /** An association with its own receiver, covering an otherwise uncovered municipality. */
  async function associationFor(municipalityCode: string) {
    const name = `recv${++counter}`;
    const association = await expectOk(
      api.request('POST', '/api/v1/associations', {
        body: {
          externalId: `test-${name}`,
          name: `Testförbund ${name}`,
          countyCode: municipalityCode.slice(0, 2),
          endpoint: receiver.addReceiver(name),
        },
      }),
    );
    await expectOk(
      api.request('POST', `/api/v1/associations/${association.id}/memberships`, { body: { municipalityCode } }),
    );
    return { name, association };
  }

  async function handOver(municipalityCode: string) {
    const areaId = await finishedWork(api, `Område ${municipalityCode}`, [municipalityCode]);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    const [handover] = await waitFor(async () => {
      const all = await handoversOf(api, areaId);
      return all.length === 1 && all;
    });
    return handover;
  }

  const settled = (id: string, status: string) =>
    waitFor(
      async () => {
        const read = await expectOk(api.request('GET', `/api/v1/handovers/${id}`));
        return read.status === status && read;
      },
      { what: `handover ${id} to be ${status}` },
    );

  it('retries 500, a timeout and 429 (honouring Retry-After) until delivered, recording every attempt and one webhook-id', async () => {
    const { name } = await associationFor('0123');
    receiver.failNext(name, 1, { status: 500 });
    receiver.failNext(name, 1, { hang: true });
    receiver.failNext(name, 1, { status: 429, retryAfterSeconds: 1 });
    const handover = await handOver('0123');
    const delivered = await settled(handover.id, 'DELIVERED');

    expect(
      delivered.attempts.map((attempt: any) => [
        attempt.attemptNumber,
        attempt.httpStatus,
        attempt.errorClass,
        attempt.outcome,
      ]),
    ).toEqual([
      [1, 500, null, 'RETRY'],
      [2, null, 'TIMEOUT', 'RETRY'],
      [3, 429, null, 'RETRY'],
      [4, 200, null, 'DELIVERED'],
    ]);
    const gapAfter429 = Date.parse(delivered.attempts[3].at) - Date.parse(delivered.attempts[2].at);
    expect(gapAfter429).toBeGreaterThanOrEqual(950);
    expect(receiver.requestCount(name)).toBe(4);
    expect(receiver.deliveries(name).map((delivery) => delivery.webhookId)).toEqual([delivered.deliveryId]);
  });

  it('fails at once on 400, and a redelivery succeeds once the receiver recovers, with the same webhook-id', async () => {
    const { name } = await associationFor('0125');
    receiver.setFailure(name, { status: 400 });
    const handover = await handOver('0125');
    const failed = await settled(handover.id, 'FAILED');
    expect(failed.attempts).toEqual([expect.objectContaining({ httpStatus: 400, outcome: 'FAILED' })]);
    expect(failed.lastError).toBe('HTTP 400');

    receiver.setFailure(name, null);
    const replay = await api.request('POST', `/api/v1/handovers/${handover.id}/redeliver`);
    expect(replay.status).toBe(202);
    const delivered = await settled(handover.id, 'DELIVERED');
    expect(delivered.attempts.map((attempt: any) => attempt.outcome)).toEqual(['FAILED', 'DELIVERED']);
    expect(receiver.deliveries(name).map((delivery) => delivery.webhookId)).toEqual([handover.deliveryId]);
    expect((await api.request('POST', `/api/v1/handovers/${handover.id}/redeliver`)).status).toBe(409);
  });

  it('disables the endpoint on 410 and fails the handover', async () => {
    const { name, association } = await associationFor('0139');
    receiver.setFailure(name, { status: 410 });
    const handover = await handOver('0139');
    await settled(handover.id, 'FAILED');
    const read = await expectOk(api.request('GET', `/api/v1/associations/${association.id}`));
    expect(read.endpoint.disabledAt).not.toBeNull();
    expect(receiver.requestCount(name)).toBe(1);
  });

  it('gives up after the last scheduled attempt', async () => {
    const { name } = await associationFor('0140');
    receiver.setFailure(name, { status: 500 });
    const handover = await handOver('0140');
    const failed = await settled(handover.id, 'FAILED');
    expect(failed.attempts.map((attempt: any) => attempt.outcome)).toEqual([
      'RETRY',
      'RETRY',
      'RETRY',
      'RETRY',
      'FAILED',
    ]);
    expect(receiver.deliveries(name)).toEqual([]);
  });

  it('leaves handovers for an association without an endpoint in its pull feed', async () => {
    const association = await expectOk(
      api.request('POST', '/api/v1/associations', {
        body: { externalId: 'pull-only', name: 'Pull-förbundet', countyCode: '01' },
      }),
    );
    await expectOk(
      api.request('POST', `/api/v1/associations/${association.id}/memberships`, { body: { municipalityCode: '0184' } }),
    );
    const handover = await handOver('0184');
    await settled(handover.id, 'DELIVERED');
    const feed = await expectOk(api.request('GET', `/api/v1/associations/${association.id}/handovers`));
    expect(feed.items).toEqual([
      expect.objectContaining({ id: handover.id, package: expect.objectContaining({ handoverId: handover.id }) }),
    ]);
    expect(feed.nextCursor).toBeNull();
  });
});
