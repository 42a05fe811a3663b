import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AppConfig } from '../../config/app-config';
import { AreasService } from '../areas/areas.service';
import { AssociationsService } from '../associations/associations.service';
import type { CoordinationAssociation } from '../associations/coordination-association.entity';
import { Clock } from '../core/clock';
import { PushEvent, PushTarget, classifyPush, describePush, pushSigned } from '../core/webhooks/signed-push';
import { FollowUpsService } from '../follow-ups/follow-ups.service';
import { RetryLater } from '../queue/job-workers';
import { followUpMail, handoverMail } from './mail-texts';
import { Mailer } from './mailer';
import { Notification, NotificationChannel, NotificationStatus } from './notification.entity';

export type FollowUpEvent = 'due' | 'overdue';

interface Announcement {
  event: string;
  subjectId: string;
  association: CoordinationAssociation;
  data: Record<string, unknown>;
  mail: { subject: string; text: string } | null;
  push: boolean;
}

/**
 * Announcements to associations: a signed push to their endpoint and an e-mail to their chief.
 * Each is recorded before it is sent and sent until it succeeds, so a retried or taken-over job
 * sends what is still pending and nothing twice.
 */
@Injectable()
export class NotificationsService {
  private readonly logger = new Logger(NotificationsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly followUps: FollowUpsService,
    private readonly associations: AssociationsService,
    private readonly areas: AreasService,
    private readonly mailer: Mailer,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A follow-up round fell due or became overdue. */
  async announceFollowUp(roundId: string, event: FollowUpEvent): Promise<void> {
    const round = await this.followUps.findById(roundId);
    if (!round) throw new Error(`Follow-up round ${roundId} is gone; nothing to announce`);
    const association = await this.associationOf(round.associationId);
    const area = (await this.areas.namesOf([round.areaId])).get(round.areaId) ?? round.areaId;
    const data = {
      roundId: round.id,
      handoverId: round.handoverId,
      planId: round.planId,
      planRevision: round.planRevision,
      areaName: area,
      associationId: association.id,
      dueOn: round.dueOn,
      status: round.status,
    };
    await this.announce({
      event: `kur.follow-up.${event}`,
      subjectId: round.id,
      association,
      data,
      mail: followUpMail(event, {
        associationName: association.name,
        areaName: area,
        dueOn: round.dueOn,
        link: this.link(`uppfoljning/${round.id}`),
      }),
      push: true,
    });
  }

  /** A new handover for an association that has no push endpoint: its chief hears of it by e-mail. */
  async announceHandoverByMail(handover: { id: string; associationId: string; areaId: string }): Promise<void> {
    const association = await this.associationOf(handover.associationId);
    const area = (await this.areas.namesOf([handover.areaId])).get(handover.areaId) ?? handover.areaId;
    await this.announce({
      event: 'kur.handover.created',
      subjectId: handover.id,
      association,
      data: { handoverId: handover.id, areaName: area },
      mail: handoverMail({
        associationName: association.name,
        areaName: area,
        link: this.link(`overlamningar/${handover.id}`),
      }),
      push: false,
    });
  }

  private async announce(announcement: Announcement): Promise<void> {
    await this.record(announcement);
    const pending = await this.dataSource.getRepository(Notification).find({
      select: { id: true },
      where: {
        event: announcement.event,
        subjectId: announcement.subjectId,
        status: NotificationStatus.PENDING,
      },
    });
    const retries: RetryLater[] = [];
    for (const { id } of pending) {
      const retry = await this.sendLocked(id, announcement.association);
      if (retry) retries.push(retry);
    }
    if (retries.length) throw retries.sort((a, b) => b.delayMs - a.delayMs)[0];
  }

  /**
   * Sends one pending notification while holding its row. A job taken over from a worker that
   * stalled runs beside the first run: it waits for the row, then finds it sent, or still pending
   * after a failed attempt and tries itself (the stalled run can no longer schedule its retry).
   */
  private sendLocked(id: string, association: CoordinationAssociation): Promise<RetryLater | null> {
    return this.dataSource.transaction(async (manager) => {
      const notification = await manager.getRepository(Notification).findOne({
        where: { id, status: NotificationStatus.PENDING },
        lock: { mode: 'pessimistic_write' },
      });
      if (!notification) return null;
      return notification.channel === NotificationChannel.EMAIL
        ? this.sendMail(manager, notification)
        : this.sendPush(manager, notification, association);
    });
  }

  /** Who gets what, written once: the unique dedupe key ignores a second recording. */
  private async record({ event, subjectId, association, data, mail, push }: Announcement): Promise<void> {
    const rows: QueryDeepPartialEntity<Notification>[] = [];
    if (mail && association.chiefEmail) {
      rows.push({
        channel: NotificationChannel.EMAIL,
        recipient: association.chiefEmail,
        payload: { ...mail, messageId: `${randomUUID()}@kur-handover` },
        status: this.mailer.enabled ? NotificationStatus.PENDING : NotificationStatus.SKIPPED,
        lastOutcome: this.mailer.enabled ? null : 'SMTP_URL is not set',
      });
    }
    if (push && association.endpointUrl && !association.endpointDisabledAt) {
      rows.push({
        channel: NotificationChannel.PUSH,
        recipient: association.endpointUrl,
        payload: { webhookId: `msg_${randomUUID()}`, type: event, data },
      });
    }
    if (!rows.length) return;
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values(
        rows.map((row) => ({
          ...row,
          event,
          subjectId,
          associationId: association.id,
          dedupeKey: `${event}:${subjectId}:${row.channel as NotificationChannel}`,
        })),
      )
      .orIgnore()
      .execute();
  }

  private async sendMail(manager: EntityManager, notification: Notification): Promise<RetryLater | null> {
    const { subject, text, messageId } = notification.payload as { subject: string; text: string; messageId: string };
    try {
      const answer = await this.mailer.send({ to: notification.recipient, subject, text, messageId });
      await this.finish(manager, notification, NotificationStatus.SENT, answer);
      return null;
    } catch (error) {
      const message = (error as Error).message;
      const attempts = await this.finish(manager, notification, NotificationStatus.PENDING, message);
      if (attempts >= this.config.deliverySchedule.length) {
        await this.finish(manager, notification, NotificationStatus.FAILED, message, false);
        this.logger.error(
          { notificationId: notification.id, to: notification.recipient, err: message },
          'E-mail could not be sent; giving up',
        );
        return null;
      }
      return new RetryLater(
        `E-mail to ${notification.recipient} not accepted (${message}); will try again`,
        this.config.deliverySchedule[attempts],
      );
    }
  }

  private async sendPush(
    manager: EntityManager,
    notification: Notification,
    association: CoordinationAssociation,
  ): Promise<RetryLater | null> {
    const secret = this.associations.openSecret(association);
    if (!secret) {
      await this.finish(
        manager,
        notification,
        NotificationStatus.FAILED,
        'The association has no signing secret',
        false,
      );
      return null;
    }
    const target: PushTarget = { url: notification.recipient, secret };
    const outcome = await pushSigned(
      notification.payload as unknown as PushEvent,
      target,
      this.config.DELIVERY_TIMEOUT_MS,
    );
    const verdict = classifyPush(outcome);
    const attempts = await this.finish(
      manager,
      notification,
      verdict === 'DELIVERED'
        ? NotificationStatus.SENT
        : verdict === 'RETRY'
          ? NotificationStatus.PENDING
          : NotificationStatus.FAILED,
      describePush(outcome),
    );
    if (verdict !== 'RETRY') return null;
    if (attempts >= this.config.deliverySchedule.length) {
      await this.finish(manager, notification, NotificationStatus.FAILED, describePush(outcome), false);
      return null;
    }
    return new RetryLater(
      `Push to ${target.url} answered ${describePush(outcome)}; will try again`,
      outcome.retryAfterMs ?? this.config.deliverySchedule[attempts],
    );
  }

  /** Records an attempt's outcome; returns how many attempts the notification has had. */
  private async finish(
    manager: EntityManager,
    notification: Notification,
    status: NotificationStatus,
    outcome: string,
    countAttempt = true,
  ): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Notification)
      .set({
        status,
        lastOutcome: outcome.slice(0, 500),
        attempts: () => (countAttempt ? 'attempts + 1' : 'attempts'),
        sentAt: status === NotificationStatus.SENT ? this.clock.now() : null,
      })
      .where('id = :id', { id: notification.id })
      .returning(['attempts'])
      .execute();
    return (result.raw as { attempts: number }[])[0].attempts;
  }

  private async associationOf(id: string): Promise<CoordinationAssociation> {
    const association = await this.associations.findById(id);
    if (!association) throw new Error(`Association ${id} is gone; nothing to announce`);
    return association;
  }

  private link(path: string): string | null {
    return this.config.PUBLIC_URL ? `${this.config.PUBLIC_URL.replace(/\/$/, '')}/${path}` : null;
  }
}
