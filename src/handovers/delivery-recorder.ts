import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { OutboxService } from '../outbox/outbox.service';
import { asError, groupCommit } from '../core/database/group-commit';
import { PreparedSql, prepared } from '../core/database/prepared';
import { JobName } from '../queue/job-catalogue';
import { Transactions, isContention } from '../core/database/transactions';
import { PushOutcome, PushTarget, classifyPush, describePush } from '../core/webhooks/signed-push';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';

const ACTOR = 'system:delivery';

export type DeliveryResult = 'DELIVERED' | 'RETRY' | 'FAILED';

interface RecordedRow {
  attempt_id: string;
  result: DeliveryResult | null;
  delay_ms: string | number | null;
  moved_to: HandoverStatus | null;
}

/** One attempt to record: a push and its verdict (DELIVERED, RETRY, GONE, FAILED), as recordAttemptsSql reads it. */
interface AttemptInput {
  attempt_id: string;
  handover_id: string;
  delivery_round: number;
  verdict: string;
  /** The jittered schedule in ms: its length is the number of attempts, entry n the delay before attempt n. */
  schedule: number[];
  retry_after_ms: number | null;
  started_at: Date;
  url: string;
  http_status: number | null;
  error_class: string | null;
  latency_ms: number;
  excerpt: string | null;
  description: string;
}

/**
 * Attempts and their consequences, in one statement, for handovers that each appear once: $1 the
 * attempts (JSON, AttemptInput), $2 their handovers' ids, $3 the actor. The handovers are locked in
 * id order, so batches never wait for each other in a cycle. Each row is found by its key (a
 * lateral lookup) whatever the statistics say of the tables, and as the input is JSON its size does
 * not change the plan, which stays generic. Each attempt's number counts the attempts of its round;
 * a RETRY waits the schedule's next delay or the receiver's Retry-After, whichever is longer; a
 * handover that moved gets its audit event. An attempt already recorded under its id changes
 * nothing and answers what it led to. One row per attempt whose handover exists.
 */
const recordAttemptsSql = (audit: AuditService): PreparedSql =>
  prepared(
    'kur_record_attempts',
    `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS input(
      attempt_id uuid, handover_id uuid, delivery_round int, verdict text, schedule bigint[], retry_after_ms bigint,
      started_at timestamptz, url text, http_status int, error_class text, latency_ms int, excerpt text, description text)
  ), recorded AS (
    SELECT attempt.* FROM input
     CROSS JOIN LATERAL (SELECT id, outcome FROM delivery_attempt WHERE id = input.attempt_id OFFSET 0) AS attempt
  ), locked AS (
    SELECT found.* FROM (SELECT handover_id FROM input ORDER BY handover_id) AS wanted
     CROSS JOIN LATERAL (SELECT id, next_attempt_at FROM handover WHERE id = wanted.handover_id OFFSET 0 FOR UPDATE) AS found
  ), decided AS (
    SELECT numbered.*,
           CASE WHEN numbered.verdict = 'DELIVERED' THEN 'DELIVERED'
                WHEN numbered.verdict = 'RETRY' AND numbered.number < cardinality(numbered.schedule) THEN 'RETRY'
                ELSE 'FAILED' END AS outcome,
           greatest(coalesce(numbered.schedule[numbered.number + 1], 0), coalesce(numbered.retry_after_ms, 0)) AS delay_ms
      FROM (SELECT input.*,
                   1 + (SELECT count(*)::int FROM delivery_attempt
                         WHERE handover_id = input.handover_id AND delivery_round = input.delivery_round) AS number
              FROM input JOIN locked ON locked.id = input.handover_id
             WHERE input.attempt_id NOT IN (SELECT id FROM recorded)) AS numbered
  ), inserted AS (
    INSERT INTO delivery_attempt (id, created_at, handover_id, delivery_round, attempt_number, url,
                                  http_status, error_class, latency_ms, response_excerpt, outcome)
    SELECT attempt_id, started_at, handover_id, delivery_round, number, url, http_status, error_class, latency_ms,
           excerpt, outcome
      FROM decided
  ), moved AS (
    UPDATE handover SET
      status = CASE decided.outcome WHEN 'DELIVERED' THEN 'DELIVERED'::handover_status
                                    WHEN 'FAILED' THEN 'FAILED'::handover_status ELSE handover.status END,
      delivered_at = CASE WHEN decided.outcome = 'DELIVERED' THEN now() ELSE handover.delivered_at END,
      delivery_seq = CASE WHEN decided.outcome = 'DELIVERED' THEN nextval('handover_delivery_seq')
                          ELSE handover.delivery_seq END,
      last_error = CASE decided.outcome WHEN 'DELIVERED' THEN NULL WHEN 'FAILED' THEN decided.description
                                        ELSE handover.last_error END,
      next_attempt_at = CASE WHEN decided.outcome = 'RETRY' THEN now() + decided.delay_ms * interval '1 millisecond'
                             ELSE handover.next_attempt_at END,
      version = handover.version + 1,
      updated_at = now()
    FROM decided
    -- By $2 rather than only through decided, so the plan (generic, as the statement is prepared)
    -- takes the primary key whatever the statistics say of the READY rows.
    WHERE handover.id = ANY($2::uuid[]) AND handover.id = decided.handover_id AND handover.status = 'READY'
    RETURNING handover.id, handover.status, decided.description
  ), audited AS (
    ${audit.eventsFrom(`moved WHERE moved.status IN ('DELIVERED', 'FAILED')`, {
      actor: '$3::text',
      action: `'handover.' || lower(moved.status::text)`,
      entityType: `'handover'`,
      entityId: 'moved.id::text',
      changes: `CASE moved.status WHEN 'DELIVERED' THEN jsonb_build_object('via', 'push')
                                  ELSE jsonb_build_object('error', moved.description) END`,
    })}
  )
  SELECT input.attempt_id,
         coalesce(recorded.outcome, decided.outcome) AS result,
         CASE WHEN recorded.id IS NOT NULL
              THEN (extract(epoch FROM locked.next_attempt_at - now()) * 1000)::bigint
              ELSE decided.delay_ms END AS delay_ms,
         moved.status AS moved_to
    FROM input
    JOIN locked ON locked.id = input.handover_id
    LEFT JOIN recorded ON recorded.id = input.attempt_id
    LEFT JOIN decided ON decided.attempt_id = input.attempt_id
    LEFT JOIN moved ON moved.id = input.handover_id`,
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
  private readonly recordAttempts: PreparedSql;
  /** The attempts of pushes that end together are recorded in one statement. */
  private readonly recordTogether: (attempt: AttemptInput) => Promise<RecordedRow | undefined>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly associations: AssociationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly outbox: OutboxService,
  ) {
    this.recordAttempts = recordAttemptsSql(audit);
    this.recordTogether = groupCommit((attempts) => this.recordBatch(attempts));
  }

  /**
   * Records one push and what it leads to (recordAttemptsSql), under the handover's row lock: the
   * attempt, the handover's new status or next attempt, and the audit event; pushes ending together
   * share the statement. The attempt's number counts the attempts recorded in its round, so nothing
   * but a push uses one up; two recordings racing for one handover collide on the attempt number's
   * unique index and the loser counts again. `attemptId` makes recording twice harmless (a commit
   * whose answer an outage cut off). A 410 also disables the endpoint, in its own transaction.
   */
  async record(
    handover: Pick<Handover, 'id' | 'deliveryRound' | 'associationId'>,
    target: PushTarget,
    outcome: PushOutcome,
    attemptId: string,
  ): Promise<Recorded> {
    const verdict = classifyPush(outcome);
    const attempt: AttemptInput = {
      attempt_id: attemptId,
      handover_id: handover.id,
      delivery_round: handover.deliveryRound,
      verdict,
      schedule: this.jitteredSchedule(),
      retry_after_ms: outcome.retryAfterMs === null ? null : Math.round(outcome.retryAfterMs),
      started_at: outcome.startedAt,
      url: target.url,
      http_status: outcome.httpStatus,
      error_class: outcome.errorClass,
      latency_ms: outcome.latencyMs,
      excerpt: outcome.excerpt,
      description: describePush(outcome),
    };
    const gone = verdict === 'GONE' && handover.associationId;
    const row = gone
      ? await this.recordGone(attempt, handover.associationId as string)
      : await this.recordTogether(attempt);
    if (!row?.result) throw new Error(`Handover ${handover.id} vanished while its delivery was recorded`);
    if (gone) {
      this.logger.error(
        { associationId: handover.associationId, url: target.url },
        'ALERT: receiver answered 410 Gone; endpoint disabled',
      );
    }
    if (row.moved_to === HandoverStatus.FAILED) {
      this.logger.warn({ handoverId: handover.id, error: attempt.description }, 'Handover delivery failed');
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

  /** A 410: the attempt and the endpoint disabled, in one transaction. */
  private recordGone(attempt: AttemptInput, associationId: string): Promise<RecordedRow | undefined> {
    return this.retryingClashes(() =>
      this.transactions.run(async (manager) => {
        const [row] = await this.sendAttempts(manager, [attempt]);
        await this.associations.disableEndpoint(manager, associationId, ACTOR);
        return row;
      }),
    );
  }

  /**
   * A batch of attempts, a statement for each repetition of a handover (a handover appears once in
   * a statement, so its attempts are numbered one after the other), each statement retried on its
   * own; a statement that fails fails only its own attempts.
   */
  private async recordBatch(attempts: readonly AttemptInput[]): Promise<(RecordedRow | undefined | Error)[]> {
    const statements: AttemptInput[][] = [];
    const repeats = new Map<string, number>();
    for (const attempt of attempts) {
      const repeat = repeats.get(attempt.handover_id) ?? 0;
      repeats.set(attempt.handover_id, repeat + 1);
      (statements[repeat] ??= []).push(attempt);
    }
    const answers = new Map<string, RecordedRow | Error>();
    for (const statement of statements) {
      try {
        const recorded = await this.retryingClashes(() => this.sendAttempts(this.dataSource.manager, statement));
        for (const row of recorded) answers.set(row.attempt_id, row);
      } catch (error) {
        for (const attempt of statement) answers.set(attempt.attempt_id, asError(error));
      }
    }
    return attempts.map((attempt) => answers.get(attempt.attempt_id));
  }

  private sendAttempts(manager: EntityManager, attempts: readonly AttemptInput[]): Promise<RecordedRow[]> {
    return manager.query(this.recordAttempts, [
      JSON.stringify(attempts),
      attempts.map((attempt) => attempt.handover_id),
      ACTOR,
    ]);
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
