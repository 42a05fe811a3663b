import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { HandoverSweepService } from '../handovers/handover-sweep.service';
import { PrioSync } from './prio-sync';
import { RegistrySync } from './registry-sync';
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
  ) {}

  async run(runId: string): Promise<void> {
    const { kind } = await this.runs.get(runId);
    const since = kind === SyncKind.PRIO ? await this.prio.since() : null;
    const run = await this.runs.start(runId, since);
    if (!run) return; // finished before: running a job twice has the effect of running it once
    this.logger.log({ runId, kind, since }, 'Sync run started');
    try {
      const details = await this.carryOut(runId, kind, since);
      const finished = await this.runs.finish(runId, { details });
      this.logger.log(
        { runId, kind, fetched: finished.fetched, inserted: finished.inserted, updated: finished.updated },
        'Sync run succeeded',
      );
    } catch (error) {
      const message = (error as Error).message;
      await this.runs.finish(runId, { error: message });
      this.logger.error({ runId, kind, error: message }, 'Sync run failed');
      throw new UnrecoverableError(message);
    }
  }

  private async carryOut(runId: string, kind: SyncKind, since: string | null): Promise<Record<string, unknown>> {
    switch (kind) {
      case SyncKind.REGISTRY:
        return this.registry.run(runId);
      case SyncKind.PRIO:
        return this.prio.run(runId, since as string);
      case SyncKind.HANDOVER_SWEEP: {
        const report = await this.sweeper.sweep();
        await this.runs.progress(
          runId,
          { fetched: report.checked, updated: report.requeued, unchanged: report.checked - report.requeued },
          1,
        );
        return { ...report };
      }
    }
  }
}
