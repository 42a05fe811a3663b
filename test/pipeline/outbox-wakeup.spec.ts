import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { cutOutboxListeners, outboxListeners, silenceOutboxListener } from '../support/outbox-listener';
import { waitFor } from '../support/wait';
import { associationByMember, expectOk, finishedWork, setEndpoint } from './kur-fixtures';

// Far longer than any deadline below: a handover that arrives in time was not carried by polling or the sweep.
const NEVER = '3600000';
async function finishAndAwaitPush(api: TestApp, receiver: AssociationReceiver, name: string): Promise<void> {
  const areaId = await finishedWork(api, name, ['0180']);
  await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
  await waitFor(() => receiver.deliveries('stockholm').some((delivery) => delivery.payload.data.area.id === areaId), {
    what: `the handover of ${name} at the receiver`,
    timeoutMs: 20_000,
  });
}

async function startWorld(overrides: Record<string, string>) {
  const api = await startTestApp({ SWEEP_INTERVAL_MS: NEVER, ...overrides }, { worker: true });
  const receiver = await startAssociationReceiver();
  const stockholm = await associationByMember(api, '0180');
  await setEndpoint(api, stockholm.id, receiver.addReceiver('stockholm'));
  return { api, receiver };
}

describe('outbox relay woken by NOTIFY', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;

  beforeAll(async () => {
    ({ api, receiver } = await startWorld({ OUTBOX_POLL_MS: NEVER, OUTBOX_LISTEN_RETRY_MS: '100' }));
  });

  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('pushes a finished area without waiting for the next poll', async () => {
    await finishAndAwaitPush(api, receiver, 'Järva med partner');
  });

  it('listens again after its connection is cut, and is woken again', async () => {
    const [before] = await waitFor(
      async () => (await outboxListeners(api.dataSource)).length === 1 && outboxListeners(api.dataSource),
      {
        what: 'the outbox listener',
      },
    );
    await cutOutboxListeners(api.dataSource);
    await waitFor(async () => (await outboxListeners(api.dataSource)).some((pid) => pid !== before), {
      what: 'a new outbox listener',
    });
    await finishAndAwaitPush(api, receiver, 'Solna med partner');
  });
});

describe('outbox relay without its listener', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;

  beforeAll(async () => {
    ({ api, receiver } = await startWorld({ OUTBOX_POLL_MS: '100', OUTBOX_LISTEN_RETRY_MS: NEVER }));
  });

  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  it('still relays by polling while the listener connection is gone', async () => {
    await silenceOutboxListener(api.dataSource);
    await finishAndAwaitPush(api, receiver, 'Sundbyberg med partner');
  });
});
