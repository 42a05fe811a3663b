import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { PreparedSql, prepared } from '../core/database/prepared';
import { Transactions } from '../core/database/transactions';
import type { Area } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AssociationsService, CoveringAssociation } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { today } from '../core/time';
import { OutboxService } from '../outbox/outbox.service';
import { JobName, jobIdOf } from '../queue/job-catalogue';
import { Resolution, ResolutionCaseReason } from '../resolutions/resolution.enums';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { HandoverStatus, RecipientType } from './handover.enums';
import { Handover } from './handover.entity';
import { AreaWork, PackageBuilder, Place, packageOf } from './package-builder';
import type { HandoverPackageView } from './handover.views';

const ACTOR = 'system:routing';

/** A handover routing is about to create, as the columns of its row (and its delivery job's id). */
interface PlannedHandover {
  id: string;
  routing_key: string;
  recipient_type: RecipientType | null;
  association_id: string | null;
  municipality_codes: string[];
  status: HandoverStatus;
  delivery_id: string;
  package: HandoverPackageView | null;
  job_id: string | null;
}

/**
 * Writes an area's new handovers in one statement: $1 the planned rows (JSON), $2 the area, $3 the
 * revision, $4 the actor. Each created handover gets its audit event, each READY one its delivery
 * job in the outbox, and the previous revision's handover with the same routing key is superseded
 * by it. A routing key the revision has already is left alone (the unique index decides).
 */
const createHandoversSql = (audit: AuditService, outbox: OutboxService): PreparedSql =>
  prepared(
    'kur_create_handovers',
    `
  WITH planned AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS planned(
      id uuid, routing_key text, recipient_type recipient_type, association_id uuid, municipality_codes text[],
      status handover_status, delivery_id text, package jsonb, job_id text)
  ), created AS (
    INSERT INTO handover (id, area_id, revision, routing_key, recipient_type, association_id, municipality_codes,
                          status, delivery_id, delivery_round, package, version)
    SELECT id, $2::uuid, $3::int, routing_key, recipient_type, association_id, municipality_codes::char(4)[],
           status, delivery_id, 0, package, 1
      FROM planned
    ON CONFLICT (area_id, revision, routing_key) DO NOTHING
    RETURNING id, routing_key, status, municipality_codes
  ), ready AS (
    SELECT created.id, planned.job_id FROM created JOIN planned USING (id) WHERE created.status = 'READY'
  ), queued AS (
    ${outbox.messagesFrom('ready', JobName.DELIVER_HANDOVER, 'ready.job_id', `jsonb_build_object('handoverId', ready.id, 'round', 0)`)}
  ), audited AS (
    ${audit.eventsFrom('created', {
      actor: '$4::text',
      action: `'handover.created'`,
      entityType: `'handover'`,
      entityId: 'created.id::text',
      changes: `jsonb_build_object('areaId', $2::uuid, 'revision', $3::int, 'routingKey', created.routing_key,
                                   'municipalityCodes', to_jsonb(created.municipality_codes), 'status', created.status)`,
    })}
  ), superseded AS (
    UPDATE handover SET superseded_by_id = created.id, version = handover.version + 1, updated_at = now()
      FROM created
     WHERE handover.area_id = $2::uuid AND handover.revision = $3::int - 1 AND handover.routing_key = created.routing_key
  )
  SELECT id, routing_key, status FROM created`,
  );

/**
 * Routing: an area's municipalities are grouped by the association covering each on the day;
 * one handover per association, and one waiting handover (with a resolution case) per
 * municipality no association covers. Idempotent per (area, revision).
 */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);
  private readonly createHandovers: PreparedSql;

  constructor(
    private readonly transactions: Transactions,
    private readonly areas: AreasService,
    private readonly associations: AssociationsService,
    private readonly resolutions: ResolutionsService,
    private readonly packages: PackageBuilder,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {
    this.createHandovers = createHandoversSql(audit, outbox);
  }

  /**
   * Set-based, whatever the number of municipalities: the area locked and marked routed with its
   * municipalities (one statement), their coverage (one), the area's work with each municipality's
   * name, county and PRIO rows (four), then every handover with its package, audit event, delivery
   * job and supersession written by one statement, and the resolution cases by one more.
   */
  async routeArea(areaId: string, revision: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const {
        area,
        municipalityCodes: codes,
        routedBefore,
      } = await this.areas.lockForRouting(manager, areaId, revision);
      if (routedBefore >= revision) return 0;
      const covering = await this.associations.coverage(codes, today(), manager);
      const { work, places } = await this.packages.routingWork(manager, area, codes, covering);
      const planned = planHandovers(revision, codes, covering, work, places);
      const created: { id: string; routing_key: string; status: HandoverStatus }[] = await manager.query(
        this.createHandovers,
        [JSON.stringify(planned), areaId, revision, ACTOR],
      );
      await this.resolutions.openMany(
        manager,
        created
          .filter((handover) => handover.status === HandoverStatus.PENDING_RESOLUTION)
          .map((handover) => {
            const code = handover.routing_key.slice('municipality:'.length);
            return {
              handoverId: handover.id,
              areaId,
              municipalityCode: code,
              countyCode: places.get(code)?.countyCode as string,
              reason: ResolutionCaseReason.NO_ASSOCIATION,
            };
          }),
        ACTOR,
      );
      const waiting = planned.filter((handover) => handover.status === HandoverStatus.PENDING_RESOLUTION).length;
      this.logger.log({ areaId, revision, handovers: created.length, waiting }, 'Routed an area');
      return created.length;
    });
  }

  /** A waiting handover whose case was resolved: give it its recipient and send it, or close it. */
  async routeResolved(handoverId: string): Promise<void> {
    await this.transactions.run(async (manager) => {
      const waiting = await manager.getRepository(Handover).findOneBy({ id: handoverId });
      if (!waiting) return;
      // Area before handover, as routeArea locks them (it supersedes handovers holding the area).
      const area = await this.areas.lockById(manager, waiting.areaId);
      const handover = await manager
        .getRepository(Handover)
        .findOneOrFail({ where: { id: handoverId }, lock: { mode: 'pessimistic_write' } });
      if (handover.status !== HandoverStatus.PENDING_RESOLUTION) return;
      const resolved = await this.resolutions.forHandover(handoverId, manager);
      if (!resolved?.resolution) return;
      const detail = resolved.resolutionDetail ?? {};
      if (resolved.resolution === Resolution.WAIVED) {
        handover.status = HandoverStatus.WAIVED;
        await manager.save(handover);
      } else {
        const work = await this.packages.areaWork(manager, area);
        if (resolved.resolution === Resolution.ASSIGN_ASSOCIATION) {
          await this.readyForAssociation(manager, handover, work, detail.associationId as string);
        } else {
          await this.readyForMunicipality(manager, handover, work, detail);
        }
      }
      await this.audit.record(manager, {
        actor: ACTOR,
        action: 'handover.routed',
        entityType: 'handover',
        entityId: handover.id,
        changes: { resolution: resolved.resolution, status: handover.status },
      });
    });
  }

  /** New waiting handovers, one per municipality, for a declined one (its cases go to the administrators). */
  async reopenDeclined(manager: EntityManager, declined: Handover, reason: string, actor: string): Promise<void> {
    const area = await this.areas.lockById(manager, declined.areaId);
    for (const code of declined.municipalityCodes) {
      const handover = await this.create(
        manager,
        area,
        declined.revision,
        `declined:${declined.id}:${code}`,
        [code],
        HandoverStatus.PENDING_RESOLUTION,
      );
      await this.resolutions.open(manager, handover, code, ResolutionCaseReason.DECLINED, actor, reason);
    }
  }

  private async create(
    manager: EntityManager,
    area: Area,
    revision: number,
    routingKey: string,
    municipalityCodes: string[],
    status: HandoverStatus,
  ): Promise<Handover> {
    const handover = await manager.save(
      manager.getRepository(Handover).create({
        areaId: area.id,
        revision,
        routingKey,
        municipalityCodes,
        status,
        deliveryId: `msg_${randomUUID()}`,
        deliveryRound: 0,
      }),
    );
    await this.audit.record(manager, {
      actor: ACTOR,
      action: 'handover.created',
      entityType: 'handover',
      entityId: handover.id,
      changes: { areaId: area.id, revision, routingKey, municipalityCodes, status },
    });
    return handover;
  }

  private async readyForAssociation(
    manager: EntityManager,
    handover: Handover,
    work: AreaWork,
    associationId: string,
  ): Promise<void> {
    const association = await this.associations.findById(associationId, manager);
    if (!association) throw new Error(`Association ${associationId} vanished`);
    handover.recipientType = RecipientType.ASSOCIATION;
    handover.associationId = associationId;
    handover.package = await this.packages.build(manager, handover, work, {
      type: RecipientType.ASSOCIATION,
      associationId,
      externalId: association.externalId,
      name: association.name,
    });
    await this.ready(manager, handover);
  }

  private async readyForMunicipality(
    manager: EntityManager,
    handover: Handover,
    work: AreaWork,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const code = handover.municipalityCodes[0];
    handover.recipientType = RecipientType.MUNICIPALITY;
    handover.recipientMunicipalityCode = code;
    handover.directRecipient = {
      contactName: detail.contactName as string,
      contactEmail: detail.contactEmail as string,
      endpointUrl: (detail.endpointUrl as string | null) ?? null,
      endpointSecretEncrypted: (detail.endpointSecretEncrypted as string | null) ?? null,
    };
    handover.package = await this.packages.build(manager, handover, work, {
      type: RecipientType.MUNICIPALITY,
      municipalityCode: code,
      name: detail.contactName as string,
    });
    if (handover.directRecipient.endpointUrl) return this.ready(manager, handover);
    // No endpoint, and no feed or role through which the municipality could read it: it waits,
    // packaged, for a recipient who can receive it, and is never counted as delivered.
    handover.status = HandoverStatus.AWAITING_RECIPIENT;
    await manager.save(handover);
    this.logger.warn(
      { handoverId: handover.id, municipalityCode: code },
      'Direct handover has no recipient who can receive it',
    );
  }

  private async ready(manager: EntityManager, handover: Handover): Promise<void> {
    handover.status = HandoverStatus.READY;
    await manager.save(handover);
    await this.outbox.add(manager, JobName.DELIVER_HANDOVER, {
      handoverId: handover.id,
      round: handover.deliveryRound,
    });
  }
}

/**
 * The handovers of an area's revision: one READY handover (with its package) per association
 * covering some of its municipalities, one waiting handover per municipality none covers.
 */
function planHandovers(
  revision: number,
  codes: string[],
  covering: Map<string, CoveringAssociation>,
  work: AreaWork,
  places: Map<string, Place>,
): PlannedHandover[] {
  const groups = new Map<string, string[]>();
  for (const code of codes) {
    const association = covering.get(code);
    if (association) groups.set(association.id, [...(groups.get(association.id) ?? []), code]);
  }
  const ready = [...groups].map(([associationId, members]): PlannedHandover => {
    const { externalId, name } = covering.get(members[0]) as CoveringAssociation;
    const id = randomUUID();
    const recipient = { type: RecipientType.ASSOCIATION, associationId, externalId, name };
    return {
      id,
      routing_key: `association:${associationId}`,
      recipient_type: RecipientType.ASSOCIATION,
      association_id: associationId,
      municipality_codes: members,
      status: HandoverStatus.READY,
      delivery_id: `msg_${randomUUID()}`,
      package: packageOf({ id, revision, municipalityCodes: members }, work, recipient, places),
      job_id: jobIdOf(JobName.DELIVER_HANDOVER, { handoverId: id, round: 0 }),
    };
  });
  const waiting = codes
    .filter((code) => !covering.has(code))
    .map((code): PlannedHandover => ({
      id: randomUUID(),
      routing_key: `municipality:${code}`,
      recipient_type: null,
      association_id: null,
      municipality_codes: [code],
      status: HandoverStatus.PENDING_RESOLUTION,
      delivery_id: `msg_${randomUUID()}`,
      package: null,
      job_id: null,
    }));
  return [...ready, ...waiting];
}
