import { Injectable } from '@nestjs/common';
import { Transactions } from '../core/database/transactions';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../core/clock';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { FollowUpsService } from './follow-ups.service';

/**
 * The daily follow-up job. The database says what is due: rounds whose day has come open, rounds
 * unreported past the grace period become overdue, and each change is announced through the
 * outbox in the same transaction, so it is announced once however often the job runs.
 */
@Injectable()
export class FollowUpSweep {
  constructor(
    private readonly transactions: Transactions,
    private readonly followUps: FollowUpsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async run(): Promise<{ day: string; due: number; overdue: number }> {
    const day = this.clock.today();
    return this.transactions.run(async (manager) => {
      const due = await this.followUps.markDue(manager, day);
      for (const roundId of due) await this.outbox.add(manager, JobName.ANNOUNCE_FOLLOW_UP, { roundId, event: 'due' });
      const overdue = await this.followUps.markOverdue(manager, day, this.config.FOLLOW_UP_GRACE_DAYS);
      for (const roundId of overdue)
        await this.outbox.add(manager, JobName.ANNOUNCE_FOLLOW_UP, { roundId, event: 'overdue' });
      return { day, due: due.length, overdue: overdue.length };
    });
  }
}
