import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { asError, groupCommit } from '../core/database/group-commit';
import { PreparedSql, prepared } from '../core/database/prepared';
import { Transactions } from '../core/database/transactions';
import type { Area } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AssociationsService, CoveringAssociation } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../core/domain/errors';
import { today } from '../core/time';
import { OutboxService } from '../outbox/outbox.service';
import { JobName, jobIdOf } from '../queue/job-catalogue';
import { Resolution, ResolutionCaseReason } from '../resolutions/resolution.enums';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { HandoverStatus, RecipientType } from './handover.enums';
import { Handover } from './handover.entity';
import { AreaWork, PackageBuilder, PackageOwnPart, RoutingRead, ownPartOf, workOf } from './package-builder';

const ACTOR = 'system:routing';

/**
 * How long a routing batch waits for more areas once the database is free. The jobs that a batch
 * answered free their worker slots, and the jobs fetched into those slots call a few milliseconds
 * later: without the wait the first of them would go alone, and the batches would alternate
 * between one area and all the others.
 */
const GATHER_MS = 3;

/**
 * A handover routing is about to create: the columns of its row (of its package, the recipient's
 * own part) and its delivery job's id.
 */
interface PlannedHandover {
  id: string;
  area_id: string;
  revision: number;
  routing_key: string;
  recipient_type: RecipientType | null;
  association_id: string | null;
  municipality_codes: string[];
  status: HandoverStatus;
  delivery_id: string;
  /** What its package holds for its recipient alone; the area's work joins it in the database. */
  own_part: PackageOwnPart | null;
  job_id: string | null;
  /** A waiting handover's county, for its resolution case. */
  county_code: string | null;
}

/** A routing job's work: an area's revision. */
interface RouteCall {
  areaId: string;
  revision: number;
}

/**
 * Writes the new handovers of several areas' revisions in one statement: $1 the planned rows
 * (JSON), $2 the revisions to claim (JSON, an area once, each with the area's work, which every
 * package of its revision holds: sent once rather than once per package), $3 the actor. The
 * revisions are claimed first (the area rows locked and marked routed); an area whose revision
 * was routed already gets nothing. Each created handover gets its audit event, each READY one its delivery job in the
 * outbox, each waiting one its resolution case, and the previous revision's handover with the same
 * routing key is superseded by it (looked up by its key, handover by handover). A routing key the
 * revision has already is left alone (the unique index decides).
 */
const createHandoversSql = (modules: {
  areas: AreasService;
  audit: AuditService;
  outbox: OutboxService;
  resolutions: ResolutionsService;
}): PreparedSql =>
  prepared(
    'kur_create_handovers',
    `
  WITH claims AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS claims(area_id uuid, revision int, work jsonb)
  ), claimed AS (${modules.areas.claimRoutingSql('claims')}
  ), planned AS (
    SELECT planned.*, claims.work || planned.own_part AS package
      FROM jsonb_to_recordset($1::jsonb) AS planned(
        id uuid, area_id uuid, revision int, routing_key text, recipient_type recipient_type,
        association_id uuid, municipality_codes text[], status handover_status, delivery_id text,
        own_part jsonb, job_id text, county_code char(2))
      JOIN claimed ON claimed.id = planned.area_id AND claimed.revision = planned.revision
      JOIN claims ON claims.area_id = planned.area_id
  ), created AS (
    INSERT INTO handover (id, area_id, revision, routing_key, recipient_type, association_id, municipality_codes,
                          status, delivery_id, delivery_round, package, version)
    SELECT id, area_id, revision, routing_key, recipient_type, association_id, municipality_codes::char(4)[],
           status, delivery_id, 0, package, 1
      FROM planned
    ON CONFLICT (area_id, revision, routing_key) DO NOTHING
    RETURNING id, area_id, revision, routing_key, status, municipality_codes
  ), ready AS (
    SELECT created.id, planned.job_id FROM created JOIN planned USING (id) WHERE created.status = 'READY'
  ), queued AS (
    ${modules.outbox.messagesFrom('ready', JobName.DELIVER_HANDOVER, 'ready.job_id', `jsonb_build_object('handoverId', ready.id, 'round', 0)`)}
  ), audited AS (
    ${modules.audit.eventsFrom('created', {
      actor: '$3::text',
      action: `'handover.created'`,
      entityType: `'handover'`,
      entityId: 'created.id::text',
      changes: `jsonb_build_object('areaId', created.area_id, 'revision', created.revision,
                                   'routingKey', created.routing_key,
                                   'municipalityCodes', to_jsonb(created.municipality_codes), 'status', created.status)`,
    })}
  ), replaced AS (
    SELECT previous.id, created.id AS successor FROM created
     CROSS JOIN LATERAL (SELECT id FROM handover WHERE area_id = created.area_id AND revision = created.revision - 1
                            AND routing_key = created.routing_key OFFSET 0) AS previous
  ), superseded AS (
    UPDATE handover SET superseded_by_id = replaced.successor, version = handover.version + 1, updated_at = now()
      FROM replaced
     WHERE handover.id = ANY(ARRAY(SELECT id FROM replaced)) AND handover.id = replaced.id
  ), waiting AS (
    SELECT created.id AS handover_id, created.area_id, created.municipality_codes[1] AS municipality_code,
           planned.county_code, '${ResolutionCaseReason.NO_ASSOCIATION}'::resolution_case_reason AS reason,
           NULL::text AS reason_detail
      FROM created JOIN planned USING (id) WHERE created.status = 'PENDING_RESOLUTION'
  ), ${modules.resolutions.openingSql('waiting', '$3::text')}
  SELECT id, area_id, status FROM created`,
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
  /** Routing jobs running at the same time are routed together (group commit). */
  private readonly routeTogether: (call: RouteCall) => Promise<number>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly areas: AreasService,
    private readonly associations: AssociationsService,
    private readonly resolutions: ResolutionsService,
    private readonly packages: PackageBuilder,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {
    this.createHandovers = createHandoversSql({ areas, audit, outbox, resolutions });
    this.routeTogether = groupCommit((calls) => this.routeBatch(calls), { gatherMs: GATHER_MS });
  }

  /**
   * Routes an area's revision: one handover per association covering some of its municipalities,
   * one waiting handover per municipality none covers; answers how many it created. Routing jobs
   * running at the same time share two statements, whatever the number of areas and
   * municipalities, and no transaction around them (routeTogether).
   */
  routeArea(areaId: string, revision: number): Promise<number> {
    return this.routeTogether({ areaId, revision });
  }

  /**
   * One batch of routing calls. When routing them together fails, each is routed alone (the
   * statement that failed wrote nothing), so only the area at fault fails its job.
   */
  private async routeBatch(calls: readonly RouteCall[]): Promise<(number | Error)[]> {
    if (calls.length === 1) return this.routeAreas(calls);
    try {
      return await this.routeAreas(calls);
    } catch (error) {
      this.logger.warn({ err: error, areas: calls.length }, 'Routing areas together failed; routing each alone');
      return Promise.all(calls.map((call) => this.routeAreas([call]).then(([answer]) => answer, asError)));
    }
  }

  /**
   * One statement reads every area, its coverage and its work (PackageBuilder.readForRouting); one
   * claims the revisions and writes every handover with its package, audit event, delivery job,
   * resolution case and supersession (createHandoversSql). A routing that lost the claim to another
   * writes nothing. An area asked for more than once is routed once, at its latest revision; the
   * other calls answer 0, as if that one had run first.
   */
  private async routeAreas(calls: readonly RouteCall[]): Promise<(number | Error)[]> {
    const chosen = new Map<string, RouteCall>();
    for (const call of calls) {
      if (call.revision > (chosen.get(call.areaId)?.revision ?? -1)) chosen.set(call.areaId, call);
    }
    const areaIds = [...chosen.keys()];
    const reads = await this.packages.readForRouting(areaIds, today());
    const answers = new Map<string, number | Error>();
    const routed: { call: RouteCall; read: RoutingRead }[] = [];
    areaIds.forEach((areaId, index) => {
      const read = reads[index];
      const call = chosen.get(areaId) as RouteCall;
      if (read instanceof Error) answers.set(areaId, read);
      else if (!read) answers.set(areaId, notFound('Area', areaId));
      else if (read.routedRevision >= call.revision) answers.set(areaId, 0);
      else routed.push({ call, read });
    });
    const created = routed.length ? await this.writeHandovers(routed) : [];
    for (const { call } of routed) {
      const own = created.filter((handover) => handover.area_id === call.areaId);
      const waiting = own.filter((handover) => handover.status === HandoverStatus.PENDING_RESOLUTION).length;
      this.logger.log({ ...call, handovers: own.length, waiting }, 'Routed an area');
      answers.set(call.areaId, own.length);
    }
    return calls.map((call) => {
      const answer = answers.get(call.areaId) as number | Error;
      return call === chosen.get(call.areaId) || answer instanceof Error ? answer : 0;
    });
  }

  private writeHandovers(
    routed: { call: RouteCall; read: RoutingRead }[],
  ): Promise<{ id: string; area_id: string; status: HandoverStatus }[]> {
    const planned = routed.flatMap(({ call, read }) => planHandovers(call, read));
    const claims = routed.map(({ call, read }) => ({
      area_id: call.areaId,
      revision: call.revision,
      work: workOf(read.work),
    }));
    return this.dataSource.query(this.createHandovers, [JSON.stringify(planned), JSON.stringify(claims), ACTOR]);
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
function planHandovers({ areaId, revision }: RouteCall, { codes, covering, places }: RoutingRead): PlannedHandover[] {
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
      area_id: areaId,
      revision,
      routing_key: `association:${associationId}`,
      recipient_type: RecipientType.ASSOCIATION,
      association_id: associationId,
      municipality_codes: members,
      status: HandoverStatus.READY,
      delivery_id: `msg_${randomUUID()}`,
      own_part: ownPartOf({ id, revision, municipalityCodes: members }, recipient, places),
      job_id: jobIdOf(JobName.DELIVER_HANDOVER, { handoverId: id, round: 0 }),
      county_code: null,
    };
  });
  const waiting = codes
    .filter((code) => !covering.has(code))
    .map((code): PlannedHandover => ({
      id: randomUUID(),
      area_id: areaId,
      revision,
      routing_key: `municipality:${code}`,
      recipient_type: null,
      association_id: null,
      municipality_codes: [code],
      status: HandoverStatus.PENDING_RESOLUTION,
      delivery_id: `msg_${randomUUID()}`,
      own_part: null,
      job_id: null,
      county_code: places.get(code)?.countyCode ?? null,
    }));
  return [...ready, ...waiting];
}
