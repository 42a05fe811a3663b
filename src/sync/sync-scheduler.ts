import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { parseExpression } from 'cron-parser';
import { AppConfig } from '../../config/app-config';
import { today } from '../core/time';
import { SyncKind } from './sync-run.enums';
import { SyncRunsService } from './sync-runs.service';

/**
 * The nightly triggers, registered at boot in every worker instance. Each firing records "this
 * kind, tonight" under a unique key, so however many instances fire, each sync runs once a night.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly runs: SyncRunsService,
  ) {}

  onApplicationBootstrap(): void {
    const schedules: [SyncKind, string][] = [
      [SyncKind.REGISTRY, this.config.SYNC_REGISTRY_CRON],
      [SyncKind.PRIO, this.config.SYNC_PRIO_CRON],
      [SyncKind.HANDOVER_SWEEP, this.config.SYNC_SWEEP_CRON],
      [SyncKind.FOLLOW_UP, this.config.SYNC_FOLLOW_UP_CRON],
    ];
    for (const [kind, expression] of schedules) {
      const job = CronJob.from({
        cronTime: expression,
        timeZone: this.config.SYNC_TIME_ZONE,
        onTick: () => void this.fire(kind),
        start: true,
      });
      this.registry.addCronJob(`sync-${kind.toLowerCase()}`, job);
    }
    this.logger.log({ schedules, timeZone: this.config.SYNC_TIME_ZONE }, 'Nightly syncs scheduled');
    void this.catchUp(schedules);
  }

  /**
   * Runs each kind's last night if no worker ran it then (none was up at the time): the night's
   * key is the one its cron firing would have used, so N workers starting together queue it once.
   * A kind that never ran on schedule (a fresh installation) has no night to catch up.
   */
  async catchUp(schedules: [SyncKind, string][], now: Date = new Date()): Promise<void> {
    for (const [kind, expression] of schedules) {
      try {
        const lastFiring = parseExpression(expression, { currentDate: now, tz: this.config.SYNC_TIME_ZONE }).prev();
        const night = today(lastFiring.toDate());
        const run = await this.runs.catchUpNight(kind, night);
        if (run) this.logger.warn({ kind, night, runId: run.id }, 'Missed nightly sync queued');
      } catch (error) {
        this.logger.error({ kind, err: error }, 'Could not check for a missed nightly sync');
      }
    }
    this.logger.log('Missed nightly syncs checked');
  }

  async fire(kind: SyncKind): Promise<void> {
    this.logger.debug({ kind }, 'Nightly sync fired');
    try {
      const run = await this.runs.scheduleNight(kind, today());
      if (run) this.logger.log({ kind, runId: run.id }, 'Scheduled sync run queued');
    } catch (error) {
      this.logger.error({ kind, err: error }, 'Could not queue the scheduled sync run');
    }
  }
}
