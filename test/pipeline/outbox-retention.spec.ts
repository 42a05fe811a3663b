import { OutboxService } from '../../src/outbox/outbox.service';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { expectOk } from './kur-fixtures';
import { TestApp, startTestApp } from '../support/test-app';
import { silenceOutboxListener } from '../support/outbox-listener';
import { waitFor } from '../support/wait';

const HOUR = 3_600_000;

/** Relayed outbox messages are deleted after OUTBOX_RETENTION_HOURS; pending ones never are. */
describe('outbox retention', () => {
  let api: TestApp;

  beforeAll(async () => {
    // The relay runs once at start-up and then not for ten minutes, and no NOTIFY wakes it: this test relays by hand.
    api = await startTestApp(
      { OUTBOX_RETENTION_HOURS: '24', OUTBOX_POLL_MS: '600000', OUTBOX_LISTEN_RETRY_MS: '600000' },
      { worker: true },
    );
    await silenceOutboxListener(api.dataSource);
  });
  afterAll(() => api.close());

  const messages = (): Promise<{ id: string; relayed: boolean }[]> =>
    api.dataSource.query('SELECT id, relayed_at IS NOT NULL AS relayed FROM outbox_message ORDER BY created_at');
  const requestSweep = () => expectOk(api.request('POST', '/api/v1/sync-runs', { body: { kind: 'HANDOVER_SWEEP' } }));

  it('deletes relayed messages older than the retention, set-based, judged by a clock that can be moved', async () => {
    await requestSweep();
    await api.app.get(OutboxRelay).relayPending();
    await requestSweep(); // still pending
    const before = await messages();
    expect(before.map((message) => message.relayed)).toEqual([...before.slice(1).map(() => true), false]);
    const outbox = api.app.get(OutboxService);
    expect(await outbox.prune(new Date(Date.now() + 23 * HOUR))).toBe(0);
    expect(await messages()).toEqual(before);
    expect(await outbox.prune(new Date(Date.now() + 25 * HOUR))).toBe(before.length - 1);
    expect(await messages()).toEqual([before[before.length - 1]]);
  });

  it('prunes as part of the handover sweep run', async () => {
    await api.app.get(OutboxRelay).relayPending();
    await waitFor(
      async () =>
        (await api.dataSource.query(`SELECT 1 FROM sync_run WHERE status IN ('QUEUED', 'RUNNING')`)).length === 0,
      { what: 'the earlier sweeps to end' },
    );
    // Relayed a day and more ago (the sweep runs on the real clock).
    await api.dataSource.query(`UPDATE outbox_message SET relayed_at = relayed_at - interval '25 hours'`);
    const run = await requestSweep();
    await api.app.get(OutboxRelay).relayPending();
    const done = await waitFor(
      async () => {
        const read = await expectOk(api.request('GET', `/api/v1/sync-runs/${run.id}`));
        return read.status === 'SUCCEEDED' && read;
      },
      { what: 'the sweep run' },
    );
    expect(done.details.outboxPruned).toBeGreaterThanOrEqual(1);
    expect((await messages()).every((message) => message.relayed)).toBe(true);
    expect(await messages()).toHaveLength(1); // the sweep run's own message, relayed just now
  });
});
