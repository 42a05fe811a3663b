import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { OutboxService } from '../../src/outbox/outbox.service';
import { JobName, JobPayloads, QUEUE_OF, jobIdOf } from '../../src/queue/job-catalogue';
import { TestApp, startTestApp } from '../support/test-app';
import { waitFor } from '../support/wait';

/**
 * A job that fails on the state of the data ends at once, with a message a person can act on, as
 * the queue board and the log show it (not "Problem Exception", an HTTP type that leaked into jobs).
 */
describe('failed jobs', () => {
  let api: TestApp;

  beforeAll(async () => {
    api = await startTestApp({}, { worker: true });
  });
  afterAll(() => api.close());

  /** Enqueues a job the way the services do (through the outbox) and waits until it has ended or been retried. */
  async function failedJob<J extends JobName>(name: J, payload: JobPayloads[J]) {
    await api.dataSource.transaction((manager) => api.app.get(OutboxService).add(manager, name, payload));
    const queue = api.app.get<Queue>(getQueueToken(QUEUE_OF[name]));
    return waitFor(
      async () => {
        const job = await queue.getJob(jobIdOf(name, payload));
        return job?.failedReason ? job : undefined;
      },
      { what: `${name} to fail` },
    );
  }

  it('names the missing area of a routing job and does not retry it', async () => {
    const areaId = randomUUID();
    const job = await failedJob(JobName.ROUTE_AREA, { areaId, revision: 1 });
    expect(job.failedReason).toBe(`Area ${areaId} does not exist`);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
  });

  it('names the missing run of a sync job and does not retry it', async () => {
    const runId = randomUUID();
    const job = await failedJob(JobName.RUN_SYNC, { runId });
    expect(job.failedReason).toBe(`Sync run ${runId} does not exist; nothing to run`);
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
  });
});
