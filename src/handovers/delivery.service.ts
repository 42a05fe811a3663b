import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { groupCommit } from '../core/database/group-commit';
import { PreparedSql, prepared } from '../core/database/prepared';
import { whenReachable } from '../core/infrastructure';
import { PushTarget, classifyPush, describePush, pushSigned } from '../core/webhooks/signed-push';
import { SecretBox } from '../core/secrets';
import { MetricsService } from '../metrics/metrics.service';
import { RetryLater } from '../queue/job-workers';
import { DeliveryRecorder } from './delivery-recorder';
import { HandoverStatus, RecipientType } from './handover.enums';
import { Handover } from './handover.entity';
import { RecipientSlots } from './recipient-slots';

/** What a delivery reads: the handover, its package as stored (JSON text) and its association's endpoint. */
interface DeliveryRow {
  id: string;
  status: HandoverStatus;
  deliveryRound: number;
  deliveryId: string;
  packageJson: string;
  recipientType: RecipientType | null;
  associationId: string | null;
  directRecipient: Handover['directRecipient'];
  endpointUrl: string | null;
  endpointSecretEncrypted: string | null;
  endpointDisabledAt: Date | null;
}

/**
 * The one statement deliveries read with ($1 the handovers' ids, JSON), built once from the
 * entities' mapping (the association through the handover's relation): only the columns a push
 * needs, the package as text so it goes out as stored, without being parsed and serialised again.
 */
function readForDeliverySql(dataSource: DataSource): PreparedSql {
  const [sql] = dataSource
    .getRepository(Handover)
    .createQueryBuilder('handover')
    .leftJoin('handover.association', 'association')
    .select('handover.id', 'id')
    .addSelect('handover.status', 'status')
    .addSelect('handover.deliveryRound', 'deliveryRound')
    .addSelect('handover.deliveryId', 'deliveryId')
    .addSelect('handover.package::text', 'packageJson')
    .addSelect('handover.recipientType', 'recipientType')
    .addSelect('handover.associationId', 'associationId')
    .addSelect('handover.directRecipient', 'directRecipient')
    .addSelect('association.endpointUrl', 'endpointUrl')
    .addSelect('association.endpointSecretEncrypted', 'endpointSecretEncrypted')
    .addSelect('association.endpointDisabledAt', 'endpointDisabledAt')
    .where('handover.id = wanted.id::uuid')
    .getQueryAndParameters();
  // A lookup by primary key per id (OFFSET 0 keeps it one), whatever the statistics say of the
  // table; the ids as JSON, as their number then does not change the plan, which stays generic.
  return prepared(
    'kur_read_for_delivery',
    `SELECT found.* FROM jsonb_array_elements_text($1::jsonb) AS wanted(id) CROSS JOIN LATERAL (${sql} OFFSET 0) AS found`,
  );
}

/**
 * Pushes a READY handover to its recipient, signed per Standard Webhooks with its delivery id as
 * the webhook-id on every attempt; recipients without an endpoint find it in their feed. Only a push is an attempt: while the database is unreachable a delivery
 * waits for it, and a recipient whose share of the worker's slots is taken waits its turn.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly slots: RecipientSlots;
  /** The deliveries starting together read their handovers in one statement. */
  private readonly read: (handoverId: string) => Promise<DeliveryRow | null>;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    private readonly recorder: DeliveryRecorder,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly metrics: MetricsService,
  ) {
    this.slots = new RecipientSlots(config.DELIVERY_CONCURRENCY_PER_ENDPOINT, config.DELIVERY_TIMEOUT_MS);
    const readForDelivery = readForDeliverySql(dataSource);
    this.read = groupCommit(async (handoverIds) => {
      const rows = await dataSource.query<DeliveryRow[]>(readForDelivery, [JSON.stringify(handoverIds)]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return handoverIds.map((id) => byId.get(id) ?? null);
    });
  }

  /**
   * One attempt of a delivery round. Throws RetryLater to run again later, UnrecoverableError when
   * it must not. Database calls wait out an outage (capped backoff) until the process stops, so a
   * 2xx is recorded once the database is back rather than thrown away.
   */
  async deliver(handoverId: string, round: number, stopping: AbortSignal): Promise<void> {
    const reachable = <T>(work: () => Promise<T>) =>
      whenReachable(work, {
        signal: stopping,
        onWait: (error, retry) =>
          retry === 1 &&
          this.logger.warn({ handoverId, err: (error as Error).message }, 'Database unreachable; the delivery waits'),
      });
    const handover = await reachable(() => this.read(handoverId));
    if (!handover || handover.status !== HandoverStatus.READY || handover.deliveryRound !== round) return;
    const target = this.targetOf(handover);
    if (!target) {
      await reachable(() => this.recorder.markDeliveredToFeed(handover.id));
      return;
    }
    const release = this.slots.take(target.url);
    if (!release) throw new RetryLater('The endpoint has its share of pushes in flight', this.slots.waitMs(target.url));
    const event = { webhookId: handover.deliveryId, type: 'kur.handover.created', dataJson: handover.packageJson };
    const outcome = await pushSigned(event, target, this.config.DELIVERY_TIMEOUT_MS).finally(release);
    this.metrics.deliveryAttempt(classifyPush(outcome), outcome.errorClass, outcome.latencyMs);
    const attemptId = randomUUID();
    const { result, delayMs } = await reachable(() => this.recorder.record(handover, target, outcome, attemptId));
    if (result === 'RETRY') throw new RetryLater(describePush(outcome), delayMs);
    if (result === 'FAILED') throw new UnrecoverableError(describePush(outcome));
  }

  private targetOf(handover: DeliveryRow): PushTarget | null {
    if (handover.recipientType === RecipientType.MUNICIPALITY) {
      const direct = handover.directRecipient;
      if (!direct?.endpointUrl || !direct.endpointSecretEncrypted) return null;
      return { url: direct.endpointUrl, secret: this.secrets.open(direct.endpointSecretEncrypted) };
    }
    if (!handover.endpointUrl || handover.endpointDisabledAt || !handover.endpointSecretEncrypted) return null;
    return { url: handover.endpointUrl, secret: this.secrets.open(handover.endpointSecretEncrypted) };
  }
}
