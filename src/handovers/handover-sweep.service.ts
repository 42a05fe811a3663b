import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AreasService } from '../areas/areas.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName, JobRequest, requestId } from '../queue/job-catalogue';
import { JobEnsurer } from '../queue/job-ensurer';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';

export interface SweepReport {
  /** Due work whose job the sweep looked up in Redis. */
  checked: number;
  /** Jobs Redis had lost (or held as completed though the work is still due), added again. */
  lost: number;
  /** Jobs that had failed for good although their work is still due, retried. */
  retried: number;
  requeued: number;
}

/**
 * Puts back the jobs the database says are due: READY handovers whose next attempt is due,
 * resolved handovers not yet routed, finished areas whose revision is not routed. A few set-based
 * queries over what is due, whatever the history; Redis is asked only about that. Work still in
 * the outbox is on its way, and work that stopped being due meanwhile is done: neither is a loss.
 */
@Injectable()
export class HandoverSweepService {
  private readonly logger = new Logger(HandoverSweepService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly resolutions: ResolutionsService,
    private readonly outbox: OutboxService,
    private readonly jobs: JobEnsurer,
  ) {}

  async sweep(now = new Date()): Promise<SweepReport> {
    const due = await this.dueWork(now);
    const inOutbox = await this.outbox.unrelayed(due.map(requestId));
    const missing: JobRequest[] = [];
    for (const request of due.filter((work) => !inOutbox.has(requestId(work)))) {
      if (!(await this.jobs.isLive(request))) missing.push(request);
    }
    const outcomes = missing.length ? await this.putBack(missing, now) : [];
    const lost = outcomes.filter((outcome) => outcome === 'added').length;
    const retried = outcomes.filter((outcome) => outcome === 'retried').length;
    const report = { checked: due.length - inOutbox.size, lost, retried, requeued: lost + retried };
    if (lost) this.logger.warn(report, 'Handover sweep put back jobs that Redis had lost');
    if (retried) this.logger.warn(report, 'Handover sweep retried jobs that had failed while their work is due');
    return report;
  }

  /** Only what is due still, now that the jobs were looked at: one that just finished is no loss. */
  private async putBack(missing: JobRequest[], now: Date) {
    const stillDue = new Set((await this.dueWork(now)).map(requestId));
    const outcomes = [];
    for (const request of missing.filter((work) => stillDue.has(requestId(work)))) {
      outcomes.push(await this.jobs.ensure(request));
    }
    return outcomes;
  }

  private async dueWork(now: Date): Promise<JobRequest[]> {
    const handovers = await this.dataSource
      .getRepository(Handover)
      .createQueryBuilder('handover')
      .select(['handover.id', 'handover.status', 'handover.deliveryRound'])
      .where('handover.status = :ready AND handover.next_attempt_at <= :now', { ready: HandoverStatus.READY, now })
      .orWhere('handover.status = :waiting', { waiting: HandoverStatus.PENDING_RESOLUTION })
      .getMany();
    const waiting = handovers.filter((handover) => handover.status === HandoverStatus.PENDING_RESOLUTION);
    const resolved = await this.resolutions.resolvedAmong(waiting.map((handover) => handover.id));
    const unrouted = await this.areas.unroutedAreas();
    return [
      ...handovers
        .filter((handover) => handover.status === HandoverStatus.READY)
        .map((handover): JobRequest => ({
          name: JobName.DELIVER_HANDOVER,
          payload: { handoverId: handover.id, round: handover.deliveryRound },
        })),
      ...resolved.map((handoverId): JobRequest => ({ name: JobName.ROUTE_HANDOVER, payload: { handoverId } })),
      ...unrouted.map((area): JobRequest => ({
        name: JobName.ROUTE_AREA,
        payload: { areaId: area.id, revision: area.handoverRevision },
      })),
    ];
  }
}
