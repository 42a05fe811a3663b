import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { FollowUpSweep } from '../follow-ups/follow-up-sweep';
import { HandoverSweepService } from '../handovers/handover-sweep.service';
import { OutboxService } from '../outbox/outbox.service';
import { PrioSync } from './prio-sync';
import { RegistrySync } from './registry-sync';
import { SyncOutcome } from './sync-outcome';
import { SyncKind } from './sync-run.enums';
import { SyncRunsService } from './sync-runs.service';

/** Carries out a recorded sync run and records how it ended (in a worker, or from the CLI). */
@Injectable()
export class SyncRunner {
  private readonly logger = new Logger(SyncRunner.name);

  constructor(
    private readonly runs: SyncRunsService,
    private readonly registry: RegistrySync,
    private readonly prio: PrioSync,
    private readonly sweeper: HandoverSweepService,
    private readonly followUps: FollowUpSweep,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Every failure is final (a sync retries its own pages) and, when the run exists, recorded on it
   * with a message a person can act on.
   */
  async run(runId: string): Promise<void> {
    const found = await this.runs.find(runId).catch((error: unknown) => this.fail(runId, null, error));
    if (!found) throw new UnrecoverableError(`Sync run ${runId} does not exist; nothing to run`);
    const { kind } = found;
    try {
      const since = kind === SyncKind.PRIO ? await this.prio.since() : null;
      const run = await this.runs.start(runId, since);
      if (!run) return; // finished before: running a job twice has the effect of running it once
      this.logger.log({ runId, kind, since }, 'Sync run started');
      const outcome = await this.carryOut(runId, kind, since);
      const finished = await this.runs.finish(runId, outcome);
      this.logger.log(
        {
          runId,
          kind,
          status: finished.status,
          fetched: finished.fetched,
          inserted: finished.inserted,
          updated: finished.updated,
          failed: finished.failed,
        },
        'Sync run finished',
      );
    } catch (error) {
      return this.fail(runId, kind, error);
    }
  }

  private async fail(runId: string, kind: SyncKind | null, error: unknown): Promise<never> {
    const message = error instanceof Error ? error.message : String(error);
    this.logger.error({ runId, kind, error: message }, 'Sync run failed');
    // Recording can fail for the same reason (the database is down); the job still ends.
    await this.runs
      .finish(runId, { error: message })
      .catch((recording: unknown) =>
        this.logger.error({ runId, err: recording }, 'Could not record the failed sync run'),
      );
    throw new UnrecoverableError(message);
  }

  private async carryOut(runId: string, kind: SyncKind, since: string | null): Promise<SyncOutcome> {
    switch (kind) {
      case SyncKind.REGISTRY:
        return this.registry.run(runId);
      case SyncKind.PRIO:
        return { details: await this.prio.run(runId, since as string) };
      case SyncKind.HANDOVER_SWEEP: {
        const report = await this.sweeper.sweep();
        await this.runs.progress(
          runId,
          { fetched: report.checked, updated: report.requeued, unchanged: report.checked - report.requeued },
          1,
        );
        return { details: { ...report, outboxPruned: await this.outbox.prune() } };
      }
      case SyncKind.FOLLOW_UP: {
        const report = await this.followUps.run();
        await this.runs.progress(
          runId,
          { fetched: report.due + report.overdue, updated: report.due + report.overdue },
          1,
        );
        return { details: { ...report } };
      }
    }
  }
}
