import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { PreparedSql, prepared } from '../core/database/prepared';
import { JobName } from '../queue/job-catalogue';
import { Transactions, isContention } from '../core/database/transactions';
import { PushOutcome, PushTarget, classifyPush, describePush } from '../core/webhooks/signed-push';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';

const ACTOR = 'system:delivery';

export type DeliveryResult = 'DELIVERED' | 'RETRY' | 'FAILED';

interface RecordedRow {
  result: DeliveryResult | null;
  delay_ms: string | number | null;
  moved_to: HandoverStatus | null;
}

/**
 * One attempt and its consequences, in one statement; `audit` adds the audit event of a handover
 * that moved. $1 attempt id, $2 handover id, $3 delivery round, $4 verdict (DELIVERED, RETRY, GONE,
 * FAILED), $5 the jittered schedule in ms (its length is the number of attempts; entry n is the
 * delay before attempt n), $6 Retry-After in ms, $7-$12 the push (started, url, status, error class,
 * latency, excerpt), $13 its description, $14 the actor. An attempt already recorded under $1
 * changes nothing and answers what it led to. A RETRY waits the schedule's next delay or the
 * receiver's Retry-After, whichever is longer.
 */
const recordAttemptSql = (audit: AuditService): PreparedSql =>
  prepared(
    'kur_record_attempt',
    `
  WITH recorded AS (
    SELECT outcome FROM delivery_attempt WHERE id = $1
  ), locked AS (
    SELECT id, next_attempt_at FROM handover WHERE id = $2 FOR UPDATE
  ), attempt AS (
    SELECT locked.id,
           1 + (SELECT count(*)::int FROM delivery_attempt
                 WHERE handover_id = locked.id AND delivery_round = $3) AS number
      FROM locked WHERE NOT EXISTS (SELECT FROM recorded)
  ), decided AS (
    SELECT attempt.id, attempt.number,
           CASE WHEN $4 = 'DELIVERED' THEN 'DELIVERED'
                WHEN $4 = 'RETRY' AND attempt.number < cardinality($5::bigint[]) THEN 'RETRY'
                ELSE 'FAILED' END AS outcome,
           greatest(coalesce(($5::bigint[])[attempt.number + 1], 0), coalesce($6::bigint, 0)) AS delay_ms
      FROM attempt
  ), inserted AS (
    INSERT INTO delivery_attempt (id, created_at, handover_id, delivery_round, attempt_number, url,
                                  http_status, error_class, latency_ms, response_excerpt, outcome)
    SELECT $1, $7, decided.id, $3, decided.number, $8, $9, $10, $11, $12, decided.outcome FROM decided
  ), moved AS (
    UPDATE handover SET
      status = CASE decided.outcome WHEN 'DELIVERED' THEN 'DELIVERED'::handover_status
                                    WHEN 'FAILED' THEN 'FAILED'::handover_status ELSE handover.status END,
      delivered_at = CASE WHEN decided.outcome = 'DELIVERED' THEN now() ELSE handover.delivered_at END,
      delivery_seq = CASE WHEN decided.outcome = 'DELIVERED' THEN nextval('handover_delivery_seq')
                          ELSE handover.delivery_seq END,
      last_error = CASE decided.outcome WHEN 'DELIVERED' THEN NULL WHEN 'FAILED' THEN $13 ELSE handover.last_error END,
      next_attempt_at = CASE WHEN decided.outcome = 'RETRY' THEN now() + decided.delay_ms * interval '1 millisecond'
                             ELSE handover.next_attempt_at END,
      version = handover.version + 1,
      updated_at = now()
    FROM decided
    -- By $2 rather than through decided, so the plan (generic, as the statement is prepared) takes
    -- the primary key whatever the statistics say of the READY rows.
    WHERE handover.id = $2 AND handover.id = decided.id AND handover.status = 'READY'
    RETURNING handover.id, handover.status
  ), audited AS (
    ${audit.eventsFrom(`moved WHERE moved.status IN ('DELIVERED', 'FAILED')`, {
      actor: '$14',
      action: `'handover.' || lower(moved.status::text)`,
      entityType: `'handover'`,
      entityId: 'moved.id::text',
      changes: `CASE moved.status WHEN 'DELIVERED' THEN jsonb_build_object('via', 'push')
                                  ELSE jsonb_build_object('error', $13::text) END`,
    })}
  )
  SELECT coalesce((SELECT outcome FROM recorded), (SELECT outcome FROM decided)) AS result,
         CASE WHEN EXISTS (SELECT FROM recorded)
              THEN (extract(epoch FROM (SELECT next_attempt_at FROM locked) - now()) * 1000)::bigint
              ELSE (SELECT delay_ms FROM decided) END AS delay_ms,
         (SELECT status FROM moved) AS moved_to`,
  );

/** Another recording of the same handover took this attempt's number first. */
function isAttemptNumberClash(error: unknown): boolean {
  const driverError =
    error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : {};
  return (
    driverError.code === '23505' &&
    driverError.constraint === 'idx_delivery_attempt_handover_id_delivery_round_attempt_number'
  );
}

export interface Recorded {
  result: DeliveryResult;
  /** RETRY: how long until the next attempt is due. */
  delayMs: number;
}

/** Writes what deliveries did: each attempt, and the handover's status after it. */
@Injectable()
export class DeliveryRecorder {
  private readonly logger = new Logger(DeliveryRecorder.name);
  private readonly recordAttempt: PreparedSql;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly associations: AssociationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {
    this.recordAttempt = recordAttemptSql(audit);
  }

  /**
   * Records one push and what it leads to in one statement (recordAttemptSql), under the handover's
   * row lock: the attempt, the handover's new status or next attempt, and the audit event. The
   * attempt's number counts the attempts recorded in its round, so nothing but a push uses one up;
   * two recordings racing for one handover collide on the attempt number's unique index and the
   * loser counts again. `attemptId` makes recording twice harmless (a commit whose answer an
   * outage cut off). A 410 also disables the endpoint, in the same transaction.
   */
  async record(
    handover: Pick<Handover, 'id' | 'deliveryRound' | 'associationId'>,
    target: PushTarget,
    outcome: PushOutcome,
    attemptId: string,
  ): Promise<Recorded> {
    const verdict = classifyPush(outcome);
    const parameters = [
      attemptId,
      handover.id,
      handover.deliveryRound,
      verdict,
      this.jitteredSchedule(),
      outcome.retryAfterMs === null ? null : Math.round(outcome.retryAfterMs),
      outcome.startedAt,
      target.url,
      outcome.httpStatus,
      outcome.errorClass,
      outcome.latencyMs,
      outcome.excerpt,
      describePush(outcome),
      ACTOR,
    ];
    const [row] = await this.retryingClashes(() =>
      verdict === 'GONE' && handover.associationId
        ? this.transactions.run(async (manager) => {
            const rows: RecordedRow[] = await manager.query(this.recordAttempt, parameters);
            await this.associations.disableEndpoint(manager, handover.associationId as string, ACTOR);
            return rows;
          })
        : this.dataSource.query<RecordedRow[]>(this.recordAttempt, parameters),
    );
    if (!row?.result) throw new Error(`Handover ${handover.id} vanished while its delivery was recorded`);
    if (verdict === 'GONE' && handover.associationId) {
      this.logger.error(
        { associationId: handover.associationId, url: target.url },
        'ALERT: receiver answered 410 Gone; endpoint disabled',
      );
    }
    if (row.moved_to === HandoverStatus.FAILED) {
      this.logger.warn({ handoverId: handover.id, error: describePush(outcome) }, 'Handover delivery failed');
    }
    return { result: row.result, delayMs: row.result === 'RETRY' ? Math.max(0, Number(row.delay_ms)) : 0 };
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

  /** The delay before each attempt (1-based) of the schedule, each with ±10 % jitter. */
  private jitteredSchedule(): number[] {
    return this.config.deliverySchedule.map((base) => Math.round(base * (0.9 + Math.random() * 0.2)));
  }

  /** Runs the recording again when it lost a race (a deadlock, or another recording took its attempt number). */
  private async retryingClashes<T>(work: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!(isContention(error) || isAttemptNumberClash(error)) || attempt >= this.config.TRANSACTION_ATTEMPTS)
          throw error;
      }
    }
  }
}
