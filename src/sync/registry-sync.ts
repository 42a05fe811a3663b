import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RegistryChanges, RegistryRecord } from '../associations/registry-record';
import { RegistryImportService } from '../associations/registry-import.service';
import { today } from '../core/time';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { FeedClient } from './feed-client';
import { SyncRunsService } from './sync-runs.service';

const ACTOR = 'system:registry-sync';

interface RegistryPage {
  items: RegistryRecord[];
  page: number;
  totalPages: number;
}

/**
 * The nightly registry sync: upserts associations page by page, opens and closes memberships
 * (valid_to, never a delete), deactivates associations the registry no longer lists, and records
 * who joined and who left. A municipality that joins resolves its waiting handovers.
 */
@Injectable()
export class RegistrySync {
  constructor(
    private readonly config: AppConfig,
    private readonly feed: FeedClient,
    private readonly registry: RegistryImportService,
    private readonly municipalities: MunicipalitiesService,
    private readonly runs: SyncRunsService,
  ) {}

  async run(runId: string): Promise<Record<string, unknown>> {
    if (!this.config.REGISTRY_URL) throw new Error('REGISTRY_URL is not configured');
    const url = new URL('v1/associations', withSlash(this.config.REGISTRY_URL)).toString();
    const known = await this.municipalities.knownCodes();
    const seen: string[] = [];
    const joined: RegistryChanges['joined'] = [];
    const left: RegistryChanges['left'] = [];
    const rejected: string[] = [];
    const date = today();
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const body = await this.feed.page<RegistryPage>(url, { page, pageSize: this.config.REGISTRY_PAGE_SIZE });
      totalPages = body.totalPages;
      const valid = body.items.filter((record) => {
        const ok =
          isRecord(record) &&
          known.counties.has(record.countyCode) &&
          record.memberMunicipalityCodes.every((code) => known.municipalities.has(code));
        if (!ok) rejected.push(externalIdOf(record));
        return ok;
      });
      const changes = await this.registry.apply(valid, date, ACTOR);
      seen.push(...valid.map((record) => record.externalId));
      joined.push(...changes.joined);
      left.push(...changes.left);
      await this.runs.progress(
        runId,
        {
          fetched: body.items.length,
          inserted: changes.inserted,
          updated: changes.updated,
          unchanged: changes.unchanged,
          failed: body.items.length - valid.length,
        },
        totalPages,
      );
    }
    const gone = await this.registry.deactivateMissing(seen, date, ACTOR);
    left.push(...gone.left);
    return { joined, left, deactivated: gone.updated, rejected };
  }
}

function isRecord(record: unknown): record is RegistryRecord {
  const value = record as RegistryRecord;
  return (
    typeof value?.externalId === 'string' &&
    typeof value.name === 'string' &&
    /^\d{2}$/.test(value.countyCode) &&
    Array.isArray(value.memberMunicipalityCodes) &&
    value.memberMunicipalityCodes.every((code) => typeof code === 'string')
  );
}

/** A rejected record's external id for the report, when it has a readable one. */
function externalIdOf(record: unknown): string {
  const id = (record as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : 'unknown';
}

export const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
