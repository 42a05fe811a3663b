import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UnrecoverableError } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { whenReachable } from '../core/infrastructure';
import { PushTarget, classifyPush, describePush, pushSigned } from '../core/webhooks/signed-push';
import { SecretBox } from '../core/secrets';
import { MetricsService } from '../metrics/metrics.service';
import { RetryLater } from '../queue/job-workers';
import { DeliveryRecorder } from './delivery-recorder';
import { HandoverStatus, RecipientType } from './handover.enums';
import { Handover } from './handover.entity';
import { RecipientSlots } from './recipient-slots';

/**
 * Pushes a READY handover to its recipient, signed per Standard Webhooks with its delivery id as
 * the webhook-id on every attempt; recipients without an endpoint find it in their feed. Only a push is an attempt: while the database is unreachable a delivery
 * waits for it, and a recipient whose share of the worker's slots is taken waits its turn.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);
  private readonly slots: RecipientSlots;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly associations: AssociationsService,
    private readonly recorder: DeliveryRecorder,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly metrics: MetricsService,
  ) {
    this.slots = new RecipientSlots(config.DELIVERY_CONCURRENCY_PER_ENDPOINT, config.DELIVERY_TIMEOUT_MS);
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
    // One statement: the handover with its association's endpoint (read once, for the push and its record).
    const handover = await reachable(() =>
      this.dataSource
        .getRepository(Handover)
        .createQueryBuilder('handover')
        .leftJoinAndSelect('handover.association', 'association')
        .where('handover.id = :handoverId', { handoverId })
        .getOne(),
    );
    if (!handover || handover.status !== HandoverStatus.READY || handover.deliveryRound !== round) return;
    const target = this.targetOf(handover);
    if (!target) {
      await reachable(() => this.recorder.markDeliveredToFeed(handover.id));
      return;
    }
    const release = this.slots.take(target.url);
    if (!release) throw new RetryLater('The endpoint has its share of pushes in flight', this.slots.waitMs(target.url));
    const event = { webhookId: handover.deliveryId, type: 'kur.handover.created', data: handover.package };
    const outcome = await pushSigned(event, target, this.config.DELIVERY_TIMEOUT_MS).finally(release);
    this.metrics.deliveryAttempt(classifyPush(outcome), outcome.errorClass, outcome.latencyMs);
    const attemptId = randomUUID();
    const { result, delayMs } = await reachable(() => this.recorder.record(handover, target, outcome, attemptId));
    if (result === 'RETRY') throw new RetryLater(describePush(outcome), delayMs);
    if (result === 'FAILED') throw new UnrecoverableError(describePush(outcome));
  }

  private targetOf(handover: Handover): PushTarget | null {
    if (handover.recipientType === RecipientType.MUNICIPALITY) {
      const direct = handover.directRecipient;
      if (!direct?.endpointUrl || !direct.endpointSecretEncrypted) return null;
      return { url: direct.endpointUrl, secret: this.secrets.open(direct.endpointSecretEncrypted) };
    }
    const association = handover.association;
    if (!association?.endpointUrl || association.endpointDisabledAt) return null;
    const secret = this.associations.openSecret(association);
    return secret ? { url: association.endpointUrl, secret } : null;
  }
}
