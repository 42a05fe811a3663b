import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { Transactions } from '../core/database/transactions';
import { PushOutcome, PushTarget, classifyPush, describePush } from '../core/webhooks/signed-push';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';

const ACTOR = 'system:delivery';

export type DeliveryResult = 'DELIVERED' | 'RETRY' | 'FAILED';

export interface Recorded {
  result: DeliveryResult;
  /** RETRY: how long until the next attempt is due. */
  delayMs: number;
}

/** Writes what deliveries did: each attempt, and the handover's status after it. */
@Injectable()
export class DeliveryRecorder {
  private readonly logger = new Logger(DeliveryRecorder.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly associations: AssociationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Records one push and what it leads to, in one transaction under the handover's lock. The
   * attempt's number counts the attempts recorded in its round, so nothing but a push uses one up.
   * `attemptId` makes recording twice harmless (a commit whose answer an outage cut off).
   */
  async record(handover: Handover, target: PushTarget, outcome: PushOutcome, attemptId: string): Promise<Recorded> {
    return this.transactions.run(async (manager) => {
      const locked = await manager
        .getRepository(Handover)
        .findOneOrFail({ where: { id: handover.id }, lock: { mode: 'pessimistic_write' } });
      const recorded = await manager.findOneBy(DeliveryAttempt, { id: attemptId });
      if (recorded) {
        return { result: recorded.outcome as DeliveryResult, delayMs: locked.nextAttemptAt.getTime() - Date.now() };
      }
      const round = handover.deliveryRound;
      const attemptNumber =
        1 + (await manager.countBy(DeliveryAttempt, { handoverId: handover.id, deliveryRound: round }));
      const verdict = classifyPush(outcome);
      const lastAttempt = attemptNumber >= this.config.deliverySchedule.length;
      const result = verdict === 'DELIVERED' ? 'DELIVERED' : verdict === 'RETRY' && !lastAttempt ? 'RETRY' : 'FAILED';
      const delayMs = result === 'RETRY' ? this.delayBefore(attemptNumber + 1, outcome.retryAfterMs) : 0;
      await manager.insert(DeliveryAttempt, {
        id: attemptId,
        createdAt: outcome.startedAt,
        handoverId: handover.id,
        deliveryRound: round,
        attemptNumber,
        url: target.url,
        httpStatus: outcome.httpStatus,
        errorClass: outcome.errorClass,
        latencyMs: outcome.latencyMs,
        responseExcerpt: outcome.excerpt,
        outcome: result,
      });
      if (result === 'DELIVERED') await this.markDelivered(handover.id, 'push', manager);
      if (result === 'FAILED') await this.markFailed(manager, handover, describePush(outcome));
      if (result === 'RETRY')
        await manager.update(Handover, { id: handover.id }, { nextAttemptAt: new Date(Date.now() + delayMs) });
      if (verdict === 'GONE' && handover.associationId) {
        await this.associations.disableEndpoint(manager, handover.associationId, ACTOR);
        this.logger.error(
          { associationId: handover.associationId, url: target.url },
          'ALERT: receiver answered 410 Gone; endpoint disabled',
        );
      }
      return { result, delayMs };
    });
  }

  /** No endpoint: the handover waits in the association's feed, and its chief hears of it by e-mail. */
  markDeliveredToFeed(handoverId: string): Promise<void> {
    return this.transactions.run(async (manager) => {
      if (await this.markDelivered(handoverId, 'feed', manager))
        await this.outbox.add(manager, JobName.ANNOUNCE_HANDOVER_BY_MAIL, { handoverId });
    });
  }

  /** True when this call moved the handover from READY to DELIVERED. */
  async markDelivered(
    handoverId: string,
    via: 'push' | 'feed',
    manager: EntityManager = this.dataSource.manager,
  ): Promise<boolean> {
    const { affected } = await manager
      .createQueryBuilder()
      .update(Handover)
      .set({
        status: HandoverStatus.DELIVERED,
        deliveredAt: () => 'now()',
        deliverySeq: () => "nextval('handover_delivery_seq')",
        lastError: null,
      })
      .where('id = :handoverId AND status = :ready', { handoverId, ready: HandoverStatus.READY })
      .execute();
    if (!affected) return false;
    await this.audit.record(manager, {
      actor: ACTOR,
      action: 'handover.delivered',
      entityType: 'handover',
      entityId: handoverId,
      changes: { via },
    });
    return true;
  }

  /** Delay before attempt n (1-based) from the schedule with ±10 % jitter; a longer Retry-After wins. */
  private delayBefore(attempt: number, retryAfterMs: number | null): number {
    const base = this.config.deliverySchedule[attempt - 1] ?? 0;
    const jittered = Math.round(base * (0.9 + Math.random() * 0.2));
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  private async markFailed(manager: EntityManager, handover: Handover, error: string): Promise<void> {
    await manager.update(
      Handover,
      { id: handover.id, status: HandoverStatus.READY },
      { status: HandoverStatus.FAILED, lastError: error },
    );
    await this.audit.record(manager, {
      actor: ACTOR,
      action: 'handover.failed',
      entityType: 'handover',
      entityId: handover.id,
      changes: { error },
    });
    this.logger.warn({ handoverId: handover.id, error }, 'Handover delivery failed');
  }
}
