import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import axios, { AxiosError } from 'axios';
import { UnrecoverableError } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { SecretBox } from '../core/secrets';
import { MetricsService } from '../metrics/metrics.service';
import { RetryLater } from '../queue/job-workers';
import { HandoverStatus, RecipientType } from './handover.enums';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { Handover } from './handover.entity';

const ACTOR = 'system:delivery';
const EXCERPT = 500;

interface Target {
  url: string;
  secret: string;
}

interface Outcome {
  httpStatus: number | null;
  errorClass: string | null;
  excerpt: string | null;
  retryAfterMs: number | null;
  latencyMs: number;
}

/**
 * Pushes a READY handover to its recipient, signed per Standard Webhooks. The webhook-id is the
 * handover's delivery id on every attempt, so the receiver can drop duplicates. Recipients
 * without an endpoint find it in their feed.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly associations: AssociationsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
    private readonly metrics: MetricsService,
  ) {}

  /** One attempt. Throws RetryLater to be retried, UnrecoverableError when it must not be. */
  async deliver(handoverId: string, attempt: number): Promise<void> {
    const handover = await this.dataSource.getRepository(Handover).findOneBy({ id: handoverId });
    if (!handover || handover.status !== HandoverStatus.READY) return;
    const target = await this.targetOf(handover);
    if (!target) {
      await this.markDelivered(handover.id, 'feed');
      return;
    }
    const outcome = await this.push(handover, target);
    const lastAttempt = attempt >= this.config.deliverySchedule.length;
    const verdict = classify(outcome);
    this.metrics.deliveryAttempt(verdict, outcome.errorClass, outcome.latencyMs);
    const result = verdict === 'DELIVERED' ? 'DELIVERED' : verdict === 'RETRY' && !lastAttempt ? 'RETRY' : 'FAILED';
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(DeliveryAttempt, {
        handoverId,
        attemptNumber: attempt,
        url: target.url,
        httpStatus: outcome.httpStatus,
        errorClass: outcome.errorClass,
        latencyMs: outcome.latencyMs,
        responseExcerpt: outcome.excerpt,
        outcome: result,
      });
      if (result === 'DELIVERED') await this.markDelivered(handover.id, 'push', manager);
      if (result === 'FAILED') await this.markFailed(manager, handover, describe(outcome));
      if (verdict === 'GONE' && handover.associationId) {
        await this.associations.disableEndpoint(manager, handover.associationId, ACTOR);
        this.logger.error(
          { associationId: handover.associationId, url: target.url },
          'ALERT: receiver answered 410 Gone; endpoint disabled',
        );
      }
    });
    if (result === 'RETRY')
      throw new RetryLater(describe(outcome), this.delayBefore(attempt + 1, outcome.retryAfterMs));
    if (result === 'FAILED') throw new UnrecoverableError(describe(outcome));
  }

  /** Delay before attempt n (1-based) from the schedule with ±10 % jitter; a longer Retry-After wins. */
  delayBefore(attempt: number, retryAfterMs: number | null): number {
    const base = this.config.deliverySchedule[attempt - 1] ?? 0;
    const jittered = Math.round(base * (0.9 + Math.random() * 0.2));
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  private async targetOf(handover: Handover): Promise<Target | null> {
    if (handover.recipientType === RecipientType.MUNICIPALITY) {
      const direct = handover.directRecipient;
      if (!direct?.endpointUrl || !direct.endpointSecretEncrypted) return null;
      return { url: direct.endpointUrl, secret: this.secrets.open(direct.endpointSecretEncrypted) };
    }
    const association = await this.associations.findById(handover.associationId as string);
    if (!association?.endpointUrl || association.endpointDisabledAt) return null;
    const secret = this.associations.openSecret(association);
    return secret ? { url: association.endpointUrl, secret } : null;
  }

  private async push(handover: Handover, target: Target): Promise<Outcome> {
    const timestamp = new Date();
    const body = JSON.stringify({
      type: 'kur.handover.created',
      timestamp: timestamp.toISOString(),
      data: handover.package,
    });
    const signature = new Webhook(target.secret).sign(handover.deliveryId, timestamp, body);
    const started = Date.now();
    try {
      const response = await axios.post<string>(target.url, body, {
        headers: {
          'content-type': 'application/json',
          'webhook-id': handover.deliveryId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
          'user-agent': 'kur-handover/1',
        },
        timeout: this.config.DELIVERY_TIMEOUT_MS,
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: (data: string) => data,
        validateStatus: () => true,
      });
      return {
        httpStatus: response.status,
        errorClass: null,
        excerpt: String(response.data ?? '').slice(0, EXCERPT),
        retryAfterMs: retryAfterMs(response.headers['retry-after']),
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      const code = (error as AxiosError).code;
      const errorClass = code === 'ECONNABORTED' || code === 'ETIMEDOUT' ? 'TIMEOUT' : `NETWORK:${code ?? 'UNKNOWN'}`;
      return {
        httpStatus: null,
        errorClass,
        excerpt: (error as Error).message.slice(0, EXCERPT),
        retryAfterMs: null,
        latencyMs: Date.now() - started,
      };
    }
  }

  private async markDelivered(
    handoverId: string,
    via: 'push' | 'feed',
    manager: EntityManager = this.dataSource.manager,
  ): Promise<void> {
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
    if (!affected) return;
    await this.audit.record(manager, {
      actor: ACTOR,
      action: 'handover.delivered',
      entityType: 'handover',
      entityId: handoverId,
      changes: { via },
    });
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

/** DESIGN.md: 2xx delivered; 410 gone; 408, 429, 5xx, timeouts and network errors retry; other 4xx fail. */
function classify(outcome: Outcome): 'DELIVERED' | 'RETRY' | 'GONE' | 'FAILED' {
  const status = outcome.httpStatus;
  if (status === null) return 'RETRY';
  if (status >= 200 && status < 300) return 'DELIVERED';
  if (status === 410) return 'GONE';
  if (status === 408 || status === 429 || status >= 500) return 'RETRY';
  return 'FAILED';
}

function describe(outcome: Outcome): string {
  return outcome.httpStatus !== null ? `HTTP ${outcome.httpStatus}` : (outcome.errorClass ?? 'unknown error');
}

/** Retry-After as seconds or an HTTP date, in milliseconds. */
function retryAfterMs(header: unknown): number | null {
  if (typeof header !== 'string' || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
