import 'reflect-metadata';
import { loadConfig } from '../../config/app-config';
import { runEntryPoint } from '../core/entry-point';
import { SyncKind, SyncStatus } from '../sync/sync-run.enums';
import { SyncRunner } from '../sync/sync-runner';
import { SyncRunsService } from '../sync/sync-runs.service';
import { createCliContext } from './cli.module';

/** `npm run sync -- REGISTRY|PRIO|HANDOVER_SWEEP`: one sync run now, in this process, recorded like any other. */
runEntryPoint(async () => {
  const kind = process.argv[2] as SyncKind;
  if (!Object.values(SyncKind).includes(kind))
    throw new Error(`usage: npm run sync -- ${Object.values(SyncKind).join('|')}`);
  const context = await createCliContext(loadConfig());
  try {
    const run = await context.get(SyncRunsService).requestNow(kind, 'system:cli', { enqueue: false });
    await context
      .get(SyncRunner)
      .run(run.id)
      .catch(() => undefined);
    const done = await context.get(SyncRunsService).get(run.id);
    console.log(
      `${kind} run ${done.id}: ${done.status}; fetched ${done.fetched}, inserted ${done.inserted}, updated ${done.updated}, unchanged ${done.unchanged}, failed ${done.failed}${done.error ? `; error: ${done.error}` : ''}`,
    );
    if (done.status !== SyncStatus.SUCCEEDED) process.exitCode = 1;
  } finally {
    await context.close();
  }
});
