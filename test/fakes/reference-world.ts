import { AppConfig } from '../../config/app-config';
import { createCliContext } from '../../src/cli/cli.module';
import { MunicipalitiesService } from '../../src/municipalities/municipalities.service';
import { SyncKind, SyncStatus } from '../../src/sync/sync-run.enums';
import { SyncRunner } from '../../src/sync/sync-runner';
import { SyncRunsService } from '../../src/sync/sync-runs.service';
import { startFinsamRegistry } from './finsam-registry';
import { referenceAssociations } from './reference-registry';

/**
 * The reference world of a fresh database: counties and municipalities from data/, and the
 * associations with their members through a registry sync from the fake registry, as in production.
 */
export async function loadReferenceWorld(config: AppConfig): Promise<void> {
  const registry = await startFinsamRegistry({ associations: referenceAssociations() });
  const context = await createCliContext(
    Object.assign(Object.create(Object.getPrototypeOf(config)), config, { REGISTRY_URL: registry.url }),
  );
  try {
    await context.get(MunicipalitiesService).loadReferenceData();
    const runs = context.get(SyncRunsService);
    const run = await runs.requestNow(SyncKind.REGISTRY, 'system:reference-world', { enqueue: false });
    await context.get(SyncRunner).run(run.id);
    const done = await runs.get(run.id);
    if (done.status !== SyncStatus.SUCCEEDED) throw new Error(`The registry sync ${done.status}: ${done.error}`);
  } finally {
    await context.close();
    await registry.close();
  }
}
