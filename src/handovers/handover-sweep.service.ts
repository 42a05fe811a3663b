import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AreasService } from '../areas/areas.service';
import { JobName } from '../queue/job-catalogue';
import { Ensured, JobEnsurer } from '../queue/job-ensurer';
import { ResolutionCaseStatus } from '../resolutions/resolution.enums';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';

export interface SweepReport {
  checked: number;
  requeued: number;
}

/**
 * Puts back the jobs the database says are due: READY handovers without a live delivery job,
 * resolved handovers not yet routed, finished areas not yet routed. Safe to run at any time.
 */
@Injectable()
export class HandoverSweepService {
  private readonly logger = new Logger(HandoverSweepService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly areas: AreasService,
    private readonly resolutions: ResolutionsService,
    private readonly jobs: JobEnsurer,
  ) {}

  async sweep(): Promise<SweepReport> {
    const outcomes: Ensured[] = [];
    const handovers = this.dataSource.getRepository(Handover);
    for (const handover of await handovers.findBy({ status: HandoverStatus.READY })) {
      outcomes.push(
        await this.jobs.ensure(JobName.DELIVER_HANDOVER, { handoverId: handover.id, round: handover.deliveryRound }),
      );
    }
    for (const handover of await handovers.findBy({ status: HandoverStatus.PENDING_RESOLUTION })) {
      const found = await this.resolutions.forHandover(handover.id, this.dataSource.manager);
      if (found?.status === ResolutionCaseStatus.RESOLVED)
        outcomes.push(await this.jobs.ensure(JobName.ROUTE_HANDOVER, { handoverId: handover.id }));
    }
    for (const area of await this.areas.finishedAreas()) {
      if (!(await handovers.existsBy({ areaId: area.id, revision: area.handoverRevision }))) {
        outcomes.push(await this.jobs.ensure(JobName.ROUTE_AREA, { areaId: area.id, revision: area.handoverRevision }));
      }
    }
    const report = { checked: outcomes.length, requeued: outcomes.filter((outcome) => outcome !== 'live').length };
    if (report.requeued) this.logger.warn(report, 'Handover sweep put back jobs that Redis had lost');
    return report;
  }
}
