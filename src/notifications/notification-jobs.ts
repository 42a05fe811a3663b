import { Injectable, OnModuleInit } from '@nestjs/common';
import { HandoversService } from '../handovers/handovers.service';
import { JobName } from '../queue/job-catalogue';
import { JobWorkers } from '../queue/job-workers';
import { NotificationsService } from './notifications.service';

/** Worker side: the announcement jobs. */
@Injectable()
export class NotificationJobs implements OnModuleInit {
  constructor(
    private readonly workers: JobWorkers,
    private readonly notifications: NotificationsService,
    private readonly handovers: HandoversService,
  ) {}

  onModuleInit(): void {
    this.workers.register(JobName.ANNOUNCE_FOLLOW_UP, ({ roundId, event }) =>
      this.notifications.announceFollowUp(roundId, event),
    );
    this.workers.register(JobName.ANNOUNCE_HANDOVER_BY_MAIL, async ({ handoverId }) => {
      const handover = await this.handovers.findById(handoverId);
      if (!handover?.associationId) throw new Error(`Handover ${handoverId} has no association to e-mail`);
      await this.notifications.announceHandoverByMail({ ...handover, associationId: handover.associationId });
    });
  }
}
