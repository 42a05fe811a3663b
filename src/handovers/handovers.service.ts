import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, SelectQueryBuilder } from 'typeorm';
import { Transactions } from '../core/database/transactions';
import { AreasService } from '../areas/areas.service';
import { EndpointDto } from '../associations/association.dto';
import { AuditService } from '../audit/audit.service';
import { Caller, Role, actorOf } from '../auth/principal';
import { inScope, scopeCondition } from '../core/database/scope';
import { SqlParameters } from '../core/database/sql';
import { Page, paginateRows } from '../core/http/pagination';
import { conflict, notFound, ruleViolation } from '../core/domain/errors';
import { SecretBox } from '../core/secrets';
import { FollowUpsService, HandedOverPlan } from '../follow-ups/follow-ups.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { DeliveryAttempt } from './delivery-attempt.entity';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { DecisionDto, FeedQuery, HandoverQuery } from './handover.dto';
import { HandoverStatus } from './handover.enums';
import { Handover } from './handover.entity';
import { RoutingService } from './routing.service';

const IN_FEED = [HandoverStatus.DELIVERED, HandoverStatus.ACCEPTED, HandoverStatus.DECLINED];

/** What a handover's view shows of its row (the list leaves out the package, by far its largest column). */
export type HandoverRow = Pick<
  Handover,
  | 'id'
  | 'areaId'
  | 'revision'
  | 'status'
  | 'recipientType'
  | 'associationId'
  | 'recipientMunicipalityCode'
  | 'directRecipient'
  | 'municipalityCodes'
  | 'deliveryId'
  | 'deliverySeq'
  | 'deliveredAt'
  | 'decisionReason'
  | 'decidedAt'
  | 'lastError'
  | 'supersededById'
  | 'version'
  | 'createdAt'
  | 'updatedAt'
>;

export type HandoverWithPackageRow = HandoverRow & Pick<Handover, 'package'>;

/** The view's columns named as HandoverRow's properties: the lists read plain rows, no entities. */
const HANDOVER_COLUMNS = `handover.id, handover.area_id AS "areaId", handover.revision, handover.status,
  handover.recipient_type AS "recipientType", handover.association_id AS "associationId",
  handover.recipient_municipality_code AS "recipientMunicipalityCode", handover.direct_recipient AS "directRecipient",
  handover.municipality_codes AS "municipalityCodes", handover.delivery_id AS "deliveryId",
  handover.delivery_seq AS "deliverySeq", handover.delivered_at AS "deliveredAt",
  handover.decision_reason AS "decisionReason", handover.decided_at AS "decidedAt", handover.last_error AS "lastError",
  handover.superseded_by_id AS "supersededById", handover.version, handover.created_at AS "createdAt",
  handover.updated_at AS "updatedAt"`;

/** A handover in a list, with the names people read (area, municipalities) instead of ids and codes. */
export interface NamedHandover {
  handover: HandoverRow;
  areaName: string;
  municipalities: { code: string; name: string }[];
}

@Injectable()
export class HandoversService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly areas: AreasService,
    private readonly routing: RoutingService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly followUps: FollowUpsService,
    private readonly secrets: SecretBox,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async list(caller: Caller, filter: HandoverQuery): Promise<Page<HandoverRow>> {
    const parameters = new SqlParameters();
    const conditions = await this.visibleConditions(caller, parameters);
    if (filter.status) conditions.push(`handover.status = ${parameters.add(filter.status)}`);
    if (filter.areaId) conditions.push(`handover.area_id = ${parameters.add(filter.areaId)}`);
    if (filter.associationId) conditions.push(`handover.association_id = ${parameters.add(filter.associationId)}`);
    return paginateRows<HandoverRow>(
      this.dataSource.manager,
      { select: `SELECT ${HANDOVER_COLUMNS} FROM handover`, conditions, parameters },
      [
        { column: 'handover.created_at', value: (row) => row.createdAt },
        { column: 'handover.id', value: (row) => row.id },
      ],
      filter,
      filter.order,
    );
  }

  /** A page of handovers with their area's and municipalities' names: two lookups a page, not one a row. */
  async named(page: Page<HandoverRow>): Promise<Page<NamedHandover>> {
    const [areaNames, names] = await Promise.all([
      this.areas.namesOf([...new Set(page.items.map((handover) => handover.areaId))]),
      this.municipalities.municipalityNames(page.items.flatMap((handover) => handover.municipalityCodes)),
    ]);
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((handover) => ({
        handover,
        areaName: areaNames.get(handover.areaId) ?? '',
        municipalities: handover.municipalityCodes.map((code) => ({ code, name: names.get(code) ?? code })),
      })),
    };
  }

  /** A chief sees only their association's handovers; any other id is "not found". */
  async get(caller: Caller, id: string, manager: EntityManager = this.dataSource.manager): Promise<Handover> {
    const handover = await (await this.visible(caller, manager)).andWhere('handover.id = :id', { id }).getOne();
    if (!handover) throw notFound('Handover', id);
    return handover;
  }

  attempts(handoverId: string): Promise<DeliveryAttempt[]> {
    return this.dataSource
      .getRepository(DeliveryAttempt)
      .find({ where: { handoverId }, order: { createdAt: 'ASC', attemptNumber: 'ASC' } });
  }

  findById(id: string): Promise<Handover | null> {
    return this.dataSource.getRepository(Handover).findOneBy({ id });
  }

  /** Every handover of these areas, every revision, for the national report. */
  forAreas(areaIds: string[]): Promise<Handover[]> {
    if (areaIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(Handover).findBy({ areaId: In(areaIds) });
  }

  forArea(areaId: string): Promise<Handover[]> {
    return this.dataSource.getRepository(Handover).find({ where: { areaId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** The association's pull feed: its delivered handovers in delivery order. */
  async feed(caller: Caller, associationId: string, query: FeedQuery): Promise<Page<HandoverWithPackageRow>> {
    if (caller.role === Role.ASSOCIATION_CHIEF && caller.associationId !== associationId)
      throw notFound('Association', associationId);
    if (caller.role === Role.COORDINATOR) throw notFound('Association', associationId);
    const parameters = new SqlParameters();
    const conditions = [
      `handover.association_id = ${parameters.add(associationId)}`,
      `handover.status IN (${IN_FEED.map((status) => `'${status}'`).join(', ')})`,
      'handover.delivery_seq IS NOT NULL',
    ];
    return paginateRows<HandoverWithPackageRow>(
      this.dataSource.manager,
      { select: `SELECT ${HANDOVER_COLUMNS}, handover.package FROM handover`, conditions, parameters },
      [{ column: 'handover.delivery_seq', value: (row) => Number(row.deliverySeq) }],
      { limit: query.limit, cursor: query.after },
    );
  }

  async decide(caller: Caller, id: string, dto: DecisionDto): Promise<Handover> {
    return this.transactions.run(async (manager) => {
      const visible = await this.get(caller, id, manager);
      // Area before handover, everywhere: routing holds the area while it supersedes handovers.
      await this.areas.lockById(manager, visible.areaId);
      const handover = await manager
        .getRepository(Handover)
        .findOneOrFail({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (handover.status !== HandoverStatus.DELIVERED) {
        throw ruleViolation(
          'DECIDE_DELIVERED',
          `Only a DELIVERED handover can be accepted or declined; this one is ${handover.status}`,
        );
      }
      Object.assign(handover, { status: dto.decision, decisionReason: dto.reason ?? null, decidedAt: new Date() });
      const saved = await manager.save(handover);
      if (dto.decision === HandoverStatus.DECLINED)
        await this.routing.reopenDeclined(manager, saved, dto.reason as string, actorOf(caller));
      if (dto.decision === HandoverStatus.ACCEPTED && saved.associationId)
        await this.followUps.schedule(manager, { ...saved, associationId: saved.associationId }, packagedPlans(saved));
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: `handover.${dto.decision.toLowerCase()}`,
        entityType: 'handover',
        entityId: id,
        changes: { decision: dto.decision, reason: dto.reason ?? null },
      });
      return saved;
    });
  }

  /** A FAILED handover goes out again, as a new delivery round with the same webhook-id. */
  redeliver(caller: Caller, id: string): Promise<Handover> {
    return this.send(caller, id, HandoverStatus.FAILED, 'redelivered', (handover) => {
      handover.deliveryRound += 1;
      handover.lastError = null;
      return { round: handover.deliveryRound };
    });
  }

  /** A direct handover that waited for a recipient gets an endpoint to be pushed to, and goes out. */
  setRecipientEndpoint(caller: Caller, id: string, endpoint: EndpointDto): Promise<Handover> {
    return this.send(caller, id, HandoverStatus.AWAITING_RECIPIENT, 'recipient_endpoint_set', (handover) => {
      handover.directRecipient = {
        ...(handover.directRecipient as NonNullable<Handover['directRecipient']>),
        endpointUrl: endpoint.url,
        endpointSecretEncrypted: this.secrets.seal(endpoint.secret),
      };
      return { endpointUrl: endpoint.url, endpointSecret: 'set' };
    });
  }

  /** A handover in status `from`, changed by `change`, becomes READY and is sent (outbox); audited as handover.<action>. */
  private send(
    caller: Caller,
    id: string,
    from: HandoverStatus,
    action: string,
    change: (handover: Handover) => Record<string, unknown>,
  ): Promise<Handover> {
    return this.transactions.run(async (manager) => {
      const handover = await manager
        .getRepository(Handover)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!handover) throw notFound('Handover', id);
      if (handover.status !== from)
        throw conflict(`Only a ${from} handover can take this step (${action}); this one is ${handover.status}`);
      const changes = change(handover);
      handover.status = HandoverStatus.READY;
      const saved = await manager.save(handover);
      await this.outbox.add(manager, JobName.DELIVER_HANDOVER, { handoverId: id, round: saved.deliveryRound });
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: `handover.${action}`,
        entityType: 'handover',
        entityId: id,
        changes,
      });
      return saved;
    });
  }

  /** `visible` for plain SQL: the conditions that keep the rows to what the caller may see. */
  private async visibleConditions(caller: Caller, parameters: SqlParameters): Promise<string[]> {
    if (caller.role === Role.ASSOCIATION_CHIEF)
      return [`handover.association_id = ${parameters.add(caller.associationId)}`];
    return scopeCondition('handover.area_id', await this.areas.scope(caller), parameters);
  }

  /** Handovers the caller may see: all (admin, service), their association's (chief), their areas' (coordinator). */
  private async visible(caller: Caller, manager: EntityManager): Promise<SelectQueryBuilder<Handover>> {
    const query = manager.getRepository(Handover).createQueryBuilder('handover');
    if (caller.role === Role.ASSOCIATION_CHIEF)
      return query.where('handover.association_id = :own', { own: caller.associationId });
    const { sql, params } = inScope('handover.area_id', await this.areas.scope(caller, manager));
    return query.where(sql, params);
  }
}

/** The plans as the accepted package cites them: what the association follows up. */
function packagedPlans(handover: Handover): HandedOverPlan[] {
  return ((handover.package as { plans?: HandedOverPlan[] } | null)?.plans ?? []).map(({ id, revision, content }) => ({
    id,
    revision,
    content,
  }));
}
