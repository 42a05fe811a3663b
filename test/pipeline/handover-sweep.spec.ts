import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { HandoverSweepService } from '../../src/handovers/handover-sweep.service';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { QueueName, jobIdOf, JobName } from '../../src/queue/job-catalogue';
import { AssociationReceiver, startAssociationReceiver } from '../fakes/association-receiver';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';
import { associationByMember, expectOk, finishedWork, handoversOf, setEndpoint } from './kur-fixtures';

const HOUR = 3_600_000;
const NEVER = '0 0 0 1 1 *';

/**
 * The sweep puts back work the database says is due and Redis does not hold. Here the outbox is
 * relayed by hand (its timer and the sweep's are an hour), so each step is seen in between.
 */
describe('the handover sweep', () => {
  let api: TestApp;
  let receiver: AssociationReceiver;
  let sweeper: HandoverSweepService;
  let relay: OutboxRelay;
  let deliveries: Queue;
  let counter = 0;

  beforeAll(async () => {
    api = await startTestApp(
      {
        OUTBOX_POLL_MS: String(HOUR),
        SWEEP_INTERVAL_MS: String(HOUR),
        // The second attempt waits an hour: a handover that failed once is READY but not due.
        DELIVERY_RETRY_SCHEDULE: '0,1h',
        SYNC_REGISTRY_CRON: NEVER,
        SYNC_PRIO_CRON: NEVER,
        SYNC_SWEEP_CRON: NEVER,
      },
      { worker: true },
    );
    receiver = await startAssociationReceiver();
    await setEndpoint(api, (await associationByMember(api, '0180')).id, receiver.addReceiver('sweep'));
    receiver.setFailure('sweep', { status: 500 });
    sweeper = api.app.get(HandoverSweepService);
    relay = api.app.get(OutboxRelay);
    deliveries = api.app.get<Queue>(getQueueToken(QueueName.DELIVERY));
  });
  afterAll(async () => {
    await api.close();
    await receiver.close();
  });

  async function finishArea(): Promise<string> {
    const areaId = await finishedWork(api, `Svepområde ${++counter}`, ['0180']);
    await expectOk(api.request('POST', `/api/v1/areas/${areaId}/finish`));
    return areaId;
  }

  /** Relays the outbox until the probe holds (routing writes delivery jobs to the outbox in turn). */
  const relayUntil = <T>(probe: () => Promise<T | false>, what: string) =>
    waitFor(
      async () => {
        await relay.relayPending();
        return probe();
      },
      { what, intervalMs: 100 },
    );

  const attemptsOf = async (areaId: string) =>
    (await expectOk(api.request('GET', `/api/v1/handovers/${(await handoversOf(api, areaId))[0].id}`))).attempts;

  it('reports nothing lost while the work is still in the outbox on its way to Redis', async () => {
    const areaId = await finishArea();
    expect(await sweeper.sweep()).toMatchObject({ requeued: 0 });
    await relayUntil(async () => (await handoversOf(api, areaId)).length === 1, 'the area routed');
    // The handover is READY and its delivery job is in the outbox, not yet in Redis.
    expect(await sweeper.sweep()).toMatchObject({ requeued: 0 });
    await relayUntil(async () => (await attemptsOf(areaId)).length === 1, 'the first attempt');
  });

  it('looks Redis up only for work that is due, with the same few queries however many areas finished', async () => {
    const areaIds = [await finishArea(), await finishArea(), await finishArea(), await finishArea()];
    await relayUntil(
      async () => (await Promise.all(areaIds.map(attemptsOf))).every((attempts) => attempts.length === 1),
      'a first attempt for every handover',
    );
    // Every handover is READY, waiting an hour for its second attempt: nothing is due.
    const queries = jest.spyOn(api.dataSource.logger, 'logQuery');
    try {
      const report = await sweeper.sweep();
      expect(queries.mock.calls.length).toBeLessThanOrEqual(3);
      expect(report).toMatchObject({ checked: 0, requeued: 0 });
    } finally {
      queries.mockRestore();
    }
  });

  it('puts back and reports a delivery job Redis lost, once its attempt is due', async () => {
    const areaId = await finishArea();
    await relayUntil(async () => (await handoversOf(api, areaId)).length === 1, 'the area routed');
    await relayUntil(async () => (await attemptsOf(areaId)).length === 1, 'the first attempt');
    const [handover] = await handoversOf(api, areaId);
    const jobId = jobIdOf(JobName.DELIVER_HANDOVER, { handoverId: handover.id, round: 0 });
    await (await deliveries.getJob(jobId))?.remove();

    expect(await sweeper.sweep()).toMatchObject({ lost: 0 });
    expect(await sweeper.sweep(new Date(Date.now() + 2 * HOUR))).toMatchObject({ lost: 1, requeued: 1 });
    expect(await deliveries.getJob(jobId)).toBeDefined();
  });
});
