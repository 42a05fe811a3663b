import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Page, TimeOrderedPageQuery, paginate } from '../core/http/pagination';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
}

export interface AuditFilter extends TimeOrderedPageQuery {
  entityType?: string;
  entityId?: string;
}

/** Writes audit events inside the caller's transaction, so a change and its record commit together. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, entry: AuditEntry | AuditEntry[]): Promise<void> {
    const entries = Array.isArray(entry) ? entry : [entry];
    if (entries.length === 0) return;
    await manager.save(entries.map((item) => manager.create(AuditEvent, { ...item, changes: item.changes ?? {} })));
  }

  list(filter: AuditFilter): Promise<Page<AuditEvent>> {
    const query = this.dataSource.getRepository(AuditEvent).createQueryBuilder('event');
    if (filter.entityType) query.andWhere('event.entity_type = :entityType', { entityType: filter.entityType });
    if (filter.entityId) query.andWhere('event.entity_id = :entityId', { entityId: filter.entityId });
    return paginate(
      query,
      [
        { column: 'event.created_at', value: (event) => event.createdAt },
        { column: 'event.id', value: (event) => event.id },
      ],
      filter,
      filter.order,
    );
  }
}

/** {field: [before, after]} for the fields that differ; what an audit event stores. */
export function diff<T extends object>(
  before: Partial<T>,
  after: Partial<T>,
  fields: (keyof T)[],
): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of fields) {
    if (canonicalJson(before[field] ?? null) !== canonicalJson(after[field] ?? null)) {
      changes[field as string] = [before[field] ?? null, after[field] ?? null];
    }
  }
  return changes;
}

/** JSON with object keys sorted, so values read back from jsonb (which reorders keys) compare equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner) && !(inner instanceof Date)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}
