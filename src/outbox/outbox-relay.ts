import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { QUEUE_OF, QueueName } from '../queue/job-catalogue';
import { jobOptions } from '../queue/job-options';
import { OutboxMessage } from './outbox-message.entity';

const BATCH = 200;

/**
 * Moves outbox messages into BullMQ. Rows are claimed with SKIP LOCKED and marked relayed in the
 * same transaction as the enqueue; a crash in between re-enqueues with the same job id, which
 * BullMQ ignores, so nothing is lost and nothing runs twice.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Record<QueueName, Queue>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private busy = false;
  private woken = false;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.ROUTING) routing: Queue,
    @InjectQueue(QueueName.DELIVERY) delivery: Queue,
    @InjectQueue(QueueName.SYNC) sync: Queue,
  ) {
    this.queues = { [QueueName.ROUTING]: routing, [QueueName.DELIVERY]: delivery, [QueueName.SYNC]: sync };
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Relays everything pending now; returns how many messages it moved. */
  async relayPending(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch();
      total += moved;
      if (moved < BATCH) return total;
    }
  }

  /** Relays now rather than at the next poll (a message was committed); once more if a pass is under way. */
  wake(): void {
    if (this.busy) this.woken = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.busy = true;
      this.woken = false;
      this.running = this.relayPending()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Outbox relay failed; will retry'))
        .finally(() => {
          this.busy = false;
          this.schedule(this.woken ? 0 : this.config.OUTBOX_POLL_MS);
        });
    }, delay);
  }

  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const messages = await manager
        .getRepository(OutboxMessage)
        .createQueryBuilder('message')
        .where('message.relayed_at IS NULL')
        .orderBy('message.created_at')
        .limit(BATCH)
        .setLock('pessimistic_write')
        .setOnLocked('skip_locked')
        .getMany();
      if (messages.length === 0) return 0;
      for (const queueName of Object.values(QueueName)) {
        const jobs = messages
          .filter((message) => QUEUE_OF[message.jobName] === queueName)
          .map((message) => ({
            name: message.jobName,
            data: message.payload,
            opts: {
              ...jobOptions(message.jobName),
              jobId: message.jobId,
            } satisfies JobsOptions,
          }));
        if (jobs.length) await this.queues[queueName].addBulk(jobs);
      }
      await manager.update(
        OutboxMessage,
        messages.map((message) => message.id),
        { relayedAt: new Date() },
      );
      return messages.length;
    });
  }
}
