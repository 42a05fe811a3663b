import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { JobName, JobPayloads, jobIdOf } from '../queue/job-catalogue';
import { OutboxMessage } from './outbox-message.entity';

@Injectable()
export class OutboxService {
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
}
