import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { JobsOptions, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { prepared } from '../core/database/prepared';
import { JobName, QUEUE_OF, QueueName } from '../queue/job-catalogue';
import { jobOptions } from '../queue/job-options';

const BATCH = 200;

/** Claims ($1) messages not yet relayed and marks them relayed; prepared, as every relay pass sends it. */
const CLAIM = prepared(
  'kur_claim_outbox',
  `UPDATE outbox_message SET relayed_at = now(), updated_at = now()
    WHERE id IN (SELECT id FROM outbox_message WHERE relayed_at IS NULL
                  ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
    RETURNING job_name, job_id, payload, created_at`,
);

interface ClaimedMessage {
  job_name: JobName;
  job_id: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

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

  /**
   * One pass, three statements: the batch is claimed and marked relayed by one UPDATE (SKIP LOCKED,
   * so relays in other workers take other rows), enqueued, and committed. Until the commit the rows
   * are locked and still unrelayed for everyone else; an enqueue that fails rolls the mark back.
   */
  private relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [claimed] = await manager.query<[ClaimedMessage[], number]>(CLAIM, [BATCH]);
      if (claimed.length === 0) return 0;
      const messages = [...claimed].sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
      for (const queueName of Object.values(QueueName)) {
        const jobs = messages
          .filter((message) => QUEUE_OF[message.job_name] === queueName)
          .map((message) => ({
            name: message.job_name,
            data: message.payload,
            opts: {
              ...jobOptions(message.job_name),
              jobId: message.job_id,
            } satisfies JobsOptions,
          }));
        if (jobs.length) await this.queues[queueName].addBulk(jobs);
      }
      return messages.length;
    });
  }
}
