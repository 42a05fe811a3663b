import { Injectable } from '@nestjs/common';
import { ActivitiesService } from '../activities/activities.service';
import { ActivityStatus, ActivityType } from '../activities/activity.enums';
import type { Area } from '../areas/area.entity';
import { AreaStatus } from '../areas/area.enums';
import { AreasService } from '../areas/areas.service';
import { Caller, actorOf } from '../auth/principal';
import { Transactions } from '../core/database/transactions';
import { ruleViolation } from '../core/domain/errors';
import { OutboxService } from '../outbox/outbox.service';
import { PlanKind, PlanStatus } from '../plans/plan.enums';
import { PlansService } from '../plans/plans.service';
import { JobName } from '../queue/job-catalogue';

/**
 * Finishing an area: checks its work is done and, in one transaction, marks it FINISHED and
 * records the routing job in the outbox. Finishing again is a no-op.
 */
@Injectable()
export class FinishService {
  constructor(
    private readonly transactions: Transactions,
    private readonly areas: AreasService,
    private readonly activities: ActivitiesService,
    private readonly plans: PlansService,
    private readonly outbox: OutboxService,
  ) {}

  /** The finished area; `finishedNow` is false when it was finished before. */
  async finish(caller: Caller, areaId: string): Promise<{ area: Area; finishedNow: boolean }> {
    return this.transactions.run(async (manager) => {
      const area = await this.areas.findVisible(caller, areaId, manager, true);
      if (area.status === AreaStatus.FINISHED) return { area, finishedNow: false };
      if (area.status !== AreaStatus.GRANTED) {
        throw ruleViolation('STATUS_TRANSITION', `Only a GRANTED area can be finished; ${area.name} is ${area.status}`);
      }
      const activities = await this.activities.forArea(areaId, manager);
      const unfinished = activities.filter(
        (a) => a.status !== ActivityStatus.COMPLETED && a.status !== ActivityStatus.CANCELLED,
      );
      if (unfinished.length) {
        throw ruleViolation(
          'AREA_WORK_FINISHED',
          `Every activity must be COMPLETED or CANCELLED first: ${unfinished.map((a) => `"${a.title}" (${a.status})`).join(', ')}`,
          {
            unfinishedActivityIds: unfinished.map((a) => a.id),
          },
        );
      }
      const cooperation = activities.filter(
        (a) => a.type === ActivityType.COOPERATION_PLAN && a.status === ActivityStatus.COMPLETED,
      );
      const plans = await this.plans.citedRevisions(
        cooperation.map((a) => a.id),
        manager,
      );
      const draft = plans.filter((plan) => plan.kind === PlanKind.COOPERATION && plan.status !== PlanStatus.AGREED);
      if (draft.length) {
        throw ruleViolation(
          'COOPERATION_PLAN_AGREED',
          `Every cooperation plan must be AGREED first: ${draft.map((plan) => plan.id).join(', ')}`,
          {
            draftPlanIds: draft.map((plan) => plan.id),
          },
        );
      }
      const finished = await this.areas.markFinished(manager, area, actorOf(caller));
      await this.outbox.add(manager, JobName.ROUTE_AREA, { areaId, revision: finished.handoverRevision });
      return { area: finished, finishedNow: true };
    });
  }
}
