import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { RegistryChanges, RegistryRecord } from '../associations/registry-record';
import { RegistryImportService } from '../associations/registry-import.service';
import { today } from '../core/time';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { FeedClient } from './feed-client';
import { SyncOutcome } from './sync-outcome';
import { SyncRunsService } from './sync-runs.service';

const ACTOR = 'system:registry-sync';

interface RegistryPage {
  items: unknown[];
  page: number;
  totalPages: number;
}

/** A record the sync did not apply, and why. */
export interface RejectedRecord {
  externalId: string | null;
  reason: string;
}

interface Snapshot {
  valid: RegistryRecord[];
  rejected: RejectedRecord[];
}

type KnownCodes = Awaited<ReturnType<MunicipalitiesService['knownCodes']>>;

/**
 * The nightly registry sync. It reads the whole registry first (a few hundred records at most),
 * then applies it in pages: upserts associations, opens and closes memberships (valid_to, never a
 * delete), deactivates associations the registry no longer lists, and records who joined and who
 * left. A rejected record leaves its association as it was and makes the run PARTIAL; a snapshot
 * that would deactivate more than REGISTRY_MAX_DEACTIVATE_SHARE of the active associations (an
 * empty or truncated answer) is not applied at all and the run FAILS.
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

  async run(runId: string): Promise<SyncOutcome> {
    if (!this.config.REGISTRY_URL) throw new Error('REGISTRY_URL is not configured');
    const { valid, rejected } = await this.read(runId);
    // A rejected record still says its association is listed: what we know of it stays untouched.
    const listed = [...valid.map((record) => record.externalId), ...rejected.flatMap((r) => r.externalId ?? [])];
    await this.assertDeactivationWithinShare(listed);
    const date = today();
    const joined: RegistryChanges['joined'] = [];
    const left: RegistryChanges['left'] = [];
    for (let start = 0; start < valid.length; start += this.config.REGISTRY_PAGE_SIZE) {
      const changes = await this.registry.apply(
        valid.slice(start, start + this.config.REGISTRY_PAGE_SIZE),
        date,
        ACTOR,
      );
      joined.push(...changes.joined);
      left.push(...changes.left);
      await this.runs.count(runId, changes);
    }
    const gone = await this.registry.deactivateMissing(listed, date, ACTOR);
    left.push(...gone.left);
    return { details: { joined, left, deactivated: gone.updated, rejected }, partial: rejected.length > 0 };
  }

  /** Every page of the registry, each record checked; a page that keeps failing fails the run. */
  private async read(runId: string): Promise<Snapshot> {
    const url = new URL('v1/associations', withSlash(this.config.REGISTRY_URL as string)).toString();
    const known = await this.municipalities.knownCodes();
    const snapshot: Snapshot = { valid: [], rejected: [] };
    for (let page = 1, totalPages = 1; page <= totalPages; page++) {
      const body = await this.feed.page<RegistryPage>(url, { page, pageSize: this.config.REGISTRY_PAGE_SIZE });
      totalPages = body.totalPages;
      let failed = 0;
      for (const record of body.items) {
        const reason = rejectionOf(record, known);
        if (reason === null) snapshot.valid.push(record as RegistryRecord);
        else {
          snapshot.rejected.push({ externalId: externalIdOf(record), reason });
          failed++;
        }
      }
      await this.runs.progress(runId, { fetched: body.items.length, failed }, totalPages);
    }
    return snapshot;
  }

  private async assertDeactivationWithinShare(listed: string[]): Promise<void> {
    const { unlisted, active } = await this.registry.unlistedActive(listed);
    if (unlisted > active * this.config.REGISTRY_MAX_DEACTIVATE_SHARE) {
      throw new Error(
        `Registry snapshot refused: it lists ${listed.length} associations and would deactivate ${unlisted} of ${active} active associations ` +
          `(more than REGISTRY_MAX_DEACTIVATE_SHARE=${this.config.REGISTRY_MAX_DEACTIVATE_SHARE}); an empty or truncated answer? Nothing was changed.`,
      );
    }
  }
}

/** Why a record cannot be applied, or null when it can. */
function rejectionOf(record: unknown, known: KnownCodes): string | null {
  if (!isRecord(record)) return 'not a registry record (externalId, name, countyCode, memberMunicipalityCodes)';
  if (!known.counties.has(record.countyCode)) return `unknown county code ${record.countyCode}`;
  const unknown = record.memberMunicipalityCodes.filter((code) => !known.municipalities.has(code));
  return unknown.length ? `unknown municipality code(s) ${unknown.join(', ')}` : null;
}

function externalIdOf(record: unknown): string | null {
  const id = (record as { externalId?: unknown } | null)?.externalId;
  return typeof id === 'string' && id.length > 0 ? id : null;
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

export const withSlash = (url: string) => (url.endsWith('/') ? url : `${url}/`);
