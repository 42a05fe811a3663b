import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { JobName, JobPayloads, jobIdOf } from '../queue/job-catalogue';
import { OutboxMessage } from './outbox-message.entity';

const HOUR_MS = 3_600_000;

@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Records the intent to run a job, inside the caller's transaction. Adding the same job twice is a no-op. */
  async add<J extends JobName>(manager: EntityManager, name: J, payload: JobPayloads[J]): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(OutboxMessage)
      .values({ jobName: name, jobId: jobIdOf(name, payload), payload: () => ':payload', relayedAt: null })
      .setParameter('payload', JSON.stringify(payload))
      .orIgnore()
      .execute();
  }

  /**
   * SQL for a data-modifying part of the caller's statement that records job `name` once per row of
   * `source` (a CTE, with a WHERE when not every row needs one): `jobId` and `payload` are SQL over
   * its columns (text and jsonb), the id as jobIdOf makes it. Adding the same job twice is a no-op,
   * and the statement wakes the relays when it commits, as `add` does.
   */
  messagesFrom(source: string, name: JobName, jobId: string, payload: string): string {
    return `INSERT INTO outbox_message (job_name, job_id, payload)
      SELECT '${name}', ${jobId}, ${payload} FROM ${source} ON CONFLICT (job_id) DO NOTHING`;
  }

  /** Of these job ids, those still waiting in the outbox: the relay has not handed them to Redis yet. */
  async unrelayed(jobIds: string[]): Promise<Set<string>> {
    if (!jobIds.length) return new Set();
    const messages = await this.dataSource
      .getRepository(OutboxMessage)
      .find({ select: { jobId: true }, where: { jobId: In(jobIds), relayedAt: IsNull() } });
    return new Set(messages.map((message) => message.jobId));
  }

  /**
   * Deletes (one statement) the messages relayed more than OUTBOX_RETENTION_HOURS before `now`;
   * pending ones stay whatever their age. Returns how many went.
   */
  async prune(now: Date = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.OUTBOX_RETENTION_HOURS * HOUR_MS);
    const { affected } = await this.dataSource
      .createQueryBuilder()
      .delete()
      .from(OutboxMessage)
      .where('relayed_at < :cutoff', { cutoff })
      .execute();
    return affected ?? 0;
  }

  /** Messages not yet relayed and the age of the oldest, in seconds (0 when none wait); one indexed query. */
  async backlog(): Promise<{ waiting: number; oldestAgeSeconds: number }> {
    const [row] = await this.dataSource.query<{ waiting: number; age: number }[]>(
      `SELECT count(*)::int AS waiting, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 AS age
         FROM outbox_message WHERE relayed_at IS NULL`,
    );
    return { waiting: row.waiting, oldestAgeSeconds: row.age };
  }
}
