import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { JobName, JobPayloads, jobIdOf } from '../queue/job-catalogue';
import { OutboxMessage } from './outbox-message.entity';

@Injectable()
export class OutboxService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

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

  /** Of these job ids, those still waiting in the outbox: the relay has not handed them to Redis yet. */
  async unrelayed(jobIds: string[]): Promise<Set<string>> {
    if (!jobIds.length) return new Set();
    const messages = await this.dataSource
      .getRepository(OutboxMessage)
      .find({ select: { jobId: true }, where: { jobId: In(jobIds), relayedAt: IsNull() } });
    return new Set(messages.map((message) => message.jobId));
  }
}
