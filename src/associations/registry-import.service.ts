import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import { AuditEntry, AuditService, diff } from '../audit/audit.service';
import { Transactions } from '../core/database/transactions';
import { SecretBox } from '../core/secrets';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { AssociationsService } from './associations.service';
import { CoordinationAssociation } from './coordination-association.entity';
import { Membership } from './membership.entity';
import { RegistryChanges, RegistryRecord } from './registry-record';

const MIRRORED: (keyof CoordinationAssociation)[] = [
  'name',
  'countyCode',
  'chiefName',
  'chiefEmail',
  'endpointUrl',
  'active',
];

/**
 * Applies what the Finsam registry says: upserts associations by external id, opens memberships
 * for new members and closes (valid_to, never deletes) those of members that left.
 */
@Injectable()
export class RegistryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly associations: AssociationsService,
    private readonly audit: AuditService,
    private readonly municipalities: MunicipalitiesService,
    private readonly transactions: Transactions,
    private readonly secrets: SecretBox,
  ) {}

  async apply(
    records: RegistryRecord[],
    date: string,
    actor: string,
    manager?: EntityManager,
  ): Promise<RegistryChanges> {
    const run = (em: EntityManager) => this.applyIn(em, records, date, actor);
    return manager ? run(manager) : this.transactions.run(run);
  }

  /** How many active associations a snapshot listing these external ids would deactivate, of how many. */
  async unlistedActive(listedExternalIds: string[]): Promise<{ unlisted: number; active: number }> {
    const [row] = await this.dataSource.query<{ unlisted: number; active: number }[]>(
      `SELECT count(*) FILTER (WHERE NOT (external_id = ANY($1::text[])))::int AS unlisted, count(*)::int AS active
       FROM coordination_association WHERE active`,
      [listedExternalIds],
    );
    return row;
  }

  /** Marks associations the registry no longer lists inactive and closes their memberships. */
  async deactivateMissing(seenExternalIds: string[], date: string, actor: string): Promise<RegistryChanges> {
    return this.transactions.run(async (manager) => {
      const gone = await manager.getRepository(CoordinationAssociation).find({
        where: { externalId: Not(In(seenExternalIds)), active: true },
        order: { id: 'ASC' },
        lock: { mode: 'pessimistic_write' },
      });
      const changes = emptyChanges();
      for (const association of gone) {
        association.active = false;
        await manager.save(association);
        changes.updated++;
        changes.left.push(...(await this.closeMemberships(manager, association.id, null, date)));
        await this.audit.record(manager, {
          actor,
          action: 'association.deactivated',
          entityType: 'association',
          entityId: association.id,
        });
      }
      return changes;
    });
  }

  private async applyIn(
    manager: EntityManager,
    records: RegistryRecord[],
    date: string,
    actor: string,
  ): Promise<RegistryChanges> {
    const changes = emptyChanges();
    const repository = manager.getRepository(CoordinationAssociation);
    // The one lock order (as in the API): the page's municipalities, then its associations by id.
    await this.municipalities.lockForMembershipChange(
      manager,
      records.flatMap((record) => record.memberMunicipalityCodes),
    );
    const existing = new Map(
      (
        await repository.find({
          where: { externalId: In(records.map((record) => record.externalId)) },
          order: { id: 'ASC' },
          lock: { mode: 'pessimistic_write' },
        })
      ).map((row) => [row.externalId, row]),
    );
    const audit: AuditEntry[] = [];
    for (const record of records) {
      const before = existing.get(record.externalId);
      const wanted = this.columnsOf(record, before);
      let association: CoordinationAssociation;
      let fieldsChanged = true;
      if (!before) {
        association = await manager.save(repository.create({ externalId: record.externalId, ...wanted }));
        changes.inserted++;
        audit.push({
          actor,
          action: 'association.created',
          entityType: 'association',
          entityId: association.id,
          changes: diff({}, association, MIRRORED),
        });
      } else {
        const fieldChanges = diff(before, { ...before, ...wanted }, MIRRORED);
        const secretChanged = wanted.endpointSecretEncrypted !== before.endpointSecretEncrypted;
        if (Object.keys(fieldChanges).length > 0 || secretChanged) {
          association = await manager.save(Object.assign(before, wanted));
          changes.updated++;
          audit.push({
            actor,
            action: 'association.updated',
            entityType: 'association',
            entityId: before.id,
            changes: fieldChanges,
          });
        } else {
          association = before;
          fieldsChanged = false;
        }
      }
      const moved = await this.closeElsewhere(manager, association.id, record.memberMunicipalityCodes, date);
      const joined = await this.openMemberships(manager, association.id, record.memberMunicipalityCodes, date);
      const left = [
        ...moved,
        ...(await this.closeMemberships(manager, association.id, record.memberMunicipalityCodes, date)),
      ];
      changes.joined.push(...joined);
      changes.left.push(...left);
      // An association counts as updated when its fields or its members changed.
      if (!fieldsChanged) {
        if (joined.length || left.length) changes.updated++;
        else changes.unchanged++;
      }
      if (joined.length || left.length) {
        audit.push({
          actor,
          action: 'association.memberships_changed',
          entityType: 'association',
          entityId: association.id,
          changes: { joined: joined.map((row) => row.municipalityCode), left: left.map((row) => row.municipalityCode) },
        });
      }
    }
    await this.audit.record(manager, audit);
    return changes;
  }

  /** The record's columns; a secret is re-sealed only when it differs, so an unchanged row stays unchanged. */
  private columnsOf(record: RegistryRecord, before?: CoordinationAssociation) {
    const secret = record.endpoint?.secret ?? null;
    const sameSecret = before?.endpointSecretEncrypted && secret && this.associations.openSecret(before) === secret;
    return {
      name: record.name,
      countyCode: record.countyCode,
      chiefName: record.chief?.name ?? null,
      chiefEmail: record.chief?.email ?? null,
      endpointUrl: record.endpoint?.url ?? null,
      endpointSecretEncrypted: !secret ? null : sameSecret ? before.endpointSecretEncrypted : this.secrets.seal(secret),
      active: true,
    };
  }

  private async openMemberships(manager: EntityManager, associationId: string, codes: string[], date: string) {
    const current = new Set(
      (await manager.getRepository(Membership).findBy({ associationId, validTo: IsNull() })).map(
        (row) => row.municipalityCode,
      ),
    );
    const added = [...new Set(codes)].filter((code) => !current.has(code));
    if (added.length > 0) {
      const opened = await manager.save(
        added.map((municipalityCode) =>
          manager.create(Membership, { associationId, municipalityCode, validFrom: date, validTo: null }),
        ),
      );
      await this.associations.announceJoined(manager, opened);
    }
    return added.map((municipalityCode) => ({ associationId, municipalityCode }));
  }

  /**
   * The registry lists these municipalities here: a membership one still has elsewhere ends today,
   * whatever order the registry's pages come in (one association at a time).
   */
  private async closeElsewhere(manager: EntityManager, associationId: string, codes: string[], date: string) {
    if (codes.length === 0) return [];
    const elsewhere = await manager
      .getRepository(Membership)
      .findBy({ municipalityCode: In(codes), validTo: IsNull(), associationId: Not(associationId) });
    for (const row of elsewhere) await this.end(manager, row, date);
    return elsewhere.map((row) => ({ associationId: row.associationId, municipalityCode: row.municipalityCode }));
  }

  /** Closes current memberships whose municipality is not in `keep` (all of them when keep is null). */
  private async closeMemberships(manager: EntityManager, associationId: string, keep: string[] | null, date: string) {
    const current = await manager.getRepository(Membership).findBy({ associationId, validTo: IsNull() });
    const closing = current.filter((row) => !keep || !keep.includes(row.municipalityCode));
    for (const row of closing) await this.end(manager, row, date);
    return closing.map((row) => ({ associationId, municipalityCode: row.municipalityCode }));
  }

  /** valid_to, never a delete. A membership opened and closed the same day covered no day: [date, date). */
  private async end(manager: EntityManager, membership: Membership, date: string): Promise<void> {
    await manager.update(
      Membership,
      { id: membership.id },
      { validTo: date < membership.validFrom ? membership.validFrom : date },
    );
  }
}

function emptyChanges(): RegistryChanges {
  return { inserted: 0, updated: 0, unchanged: 0, joined: [], left: [] };
}
