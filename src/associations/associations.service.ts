import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, In, IsNull } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import { Caller, Role, actorOf } from '../auth/principal';
import { Transactions } from '../core/database/transactions';
import { assertVersion } from '../core/http/etag';
import { Page, PageQuery, paginate } from '../core/http/pagination';
import { conflict, notFound, ruleViolation, whenNotFound } from '../core/domain/errors';
import { SecretBox } from '../core/secrets';
import { today } from '../core/time';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import {
  AddMembershipDto,
  AssociationQuery,
  CloseMembershipDto,
  CreateAssociationDto,
  UpdateAssociationDto,
} from './association.dto';
import { CoordinationAssociation } from './coordination-association.entity';
import { Membership } from './membership.entity';

const AUDITED: (keyof CoordinationAssociation)[] = [
  'externalId',
  'name',
  'countyCode',
  'chiefName',
  'chiefEmail',
  'endpointUrl',
  'active',
];

/** The association covering a municipality, as a handover package names it. */
export interface CoveringAssociation {
  id: string;
  externalId: string;
  name: string;
}

@Injectable()
export class AssociationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly transactions: Transactions,
    private readonly secrets: SecretBox,
  ) {}

  list(caller: Caller, filter: AssociationQuery): Promise<Page<CoordinationAssociation>> {
    const query = this.dataSource.getRepository(CoordinationAssociation).createQueryBuilder('association');
    if (caller.role === Role.ASSOCIATION_CHIEF) query.andWhere('association.id = :own', { own: caller.associationId });
    if (filter.countyCode) query.andWhere('association.county_code = :countyCode', { countyCode: filter.countyCode });
    if (filter.active) query.andWhere('association.active = :active', { active: filter.active === 'true' });
    if (filter.municipalityCode) {
      query.andWhere(
        'EXISTS (SELECT 1 FROM membership m WHERE m.association_id = association.id AND m.municipality_code = :code AND m.valid_to IS NULL)',
        { code: filter.municipalityCode },
      );
    }
    return paginate(
      query,
      [
        { column: 'association.name', value: (row) => row.name },
        { column: 'association.id', value: (row) => row.id },
      ],
      filter,
    );
  }

  /** A chief sees only their own association; any other id is "not found". */
  async get(
    caller: Caller,
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<CoordinationAssociation> {
    const visible = caller.role !== Role.ASSOCIATION_CHIEF || caller.associationId === id;
    const association = visible ? await manager.getRepository(CoordinationAssociation).findOneBy({ id }) : null;
    if (!association) throw notFound('Association', id);
    return association;
  }

  /** Current member codes of each association, for views. */
  async currentMembers(associationIds: string[]): Promise<Map<string, string[]>> {
    const rows = associationIds.length
      ? await this.dataSource.getRepository(Membership).find({
          where: { associationId: In(associationIds), validTo: IsNull() },
          order: { municipalityCode: 'ASC' },
        })
      : [];
    const members = new Map<string, string[]>(associationIds.map((id) => [id, []]));
    for (const row of rows) members.get(row.associationId)?.push(row.municipalityCode);
    return members;
  }

  /** The names of these memberships' municipalities, for what people read. */
  municipalityNames(memberships: Membership[]): Promise<Map<string, string>> {
    return this.municipalities.municipalityNames(memberships.map((membership) => membership.municipalityCode));
  }

  async create(caller: Caller, dto: CreateAssociationDto): Promise<CoordinationAssociation> {
    return this.transactions.run(async (manager) => {
      await this.municipalities
        .getCounty(dto.countyCode)
        .catch(whenNotFound(() => ruleViolation('KNOWN_COUNTY', `Unknown county code ${dto.countyCode}`)));
      const exists = await manager.getRepository(CoordinationAssociation).existsBy({ externalId: dto.externalId });
      if (exists) throw conflict(`An association with externalId ${dto.externalId} exists already`);
      const association = manager.getRepository(CoordinationAssociation).create({
        externalId: dto.externalId,
        name: dto.name,
        countyCode: dto.countyCode,
        active: true,
        ...this.chiefColumns(dto.chief ?? null),
        ...this.endpointColumns(dto.endpoint ?? null),
      });
      const saved = await manager.save(association);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'association.created',
        entityType: 'association',
        entityId: saved.id,
        changes: { ...diff({}, saved, AUDITED), ...(dto.endpoint ? { endpointSecret: 'set' } : {}) },
      });
      return saved;
    });
  }

  async update(
    caller: Caller,
    id: string,
    version: number,
    dto: UpdateAssociationDto,
  ): Promise<CoordinationAssociation> {
    return this.transactions.run(async (manager) => {
      const association = await manager
        .getRepository(CoordinationAssociation)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!association) throw notFound('Association', id);
      assertVersion(association.version, version, 'The association');
      const before = { ...association };
      if (dto.name !== undefined) association.name = dto.name;
      if (dto.active !== undefined) association.active = dto.active;
      if (dto.chief !== undefined) Object.assign(association, this.chiefColumns(dto.chief));
      if (dto.endpoint !== undefined) Object.assign(association, this.endpointColumns(dto.endpoint));
      const saved = await manager.save(association);
      const changes = diff(before, saved, AUDITED);
      if (dto.endpoint !== undefined)
        changes.endpointSecret = secretChange(before.endpointSecretEncrypted, dto.endpoint);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'association.updated',
        entityType: 'association',
        entityId: id,
        changes,
      });
      return saved;
    });
  }

  listMemberships(caller: Caller, associationId: string, page: PageQuery): Promise<Page<Membership>> {
    return this.get(caller, associationId).then(() =>
      paginate(
        this.dataSource
          .getRepository(Membership)
          .createQueryBuilder('membership')
          .where('membership.association_id = :associationId', { associationId }),
        [
          { column: 'membership.valid_from', value: (row) => row.validFrom },
          { column: 'membership.id', value: (row) => row.id },
        ],
        page,
      ),
    );
  }

  async addMembership(caller: Caller, associationId: string, dto: AddMembershipDto): Promise<Membership> {
    return this.transactions.run(async (manager) => {
      await this.municipalities.assertKnown([dto.municipalityCode], manager);
      // One writer per municipality at a time, so two associations cannot both take it concurrently.
      // Locks are taken municipalities first, then associations, everywhere (the registry import too).
      await this.municipalities.lockForMembershipChange(manager, [dto.municipalityCode]);
      await this.lock(manager, associationId);
      const validFrom = dto.validFrom ?? today();
      const overlapping = await manager
        .getRepository(Membership)
        .createQueryBuilder('membership')
        .where('membership.municipality_code = :code', { code: dto.municipalityCode })
        .andWhere('(membership.valid_to IS NULL OR membership.valid_to > :validFrom)', { validFrom })
        .orderBy('membership.valid_to', 'DESC', 'NULLS FIRST')
        .getOne();
      if (overlapping) {
        throw ruleViolation(
          'ONE_ASSOCIATION_AT_A_TIME',
          overlapping.validTo === null
            ? `Municipality ${dto.municipalityCode} is a member of association ${overlapping.associationId}; close that membership first`
            : `Municipality ${dto.municipalityCode} is a member of association ${overlapping.associationId} until ${overlapping.validTo}; a new membership can start then at the earliest`,
        );
      }
      const membership = await manager.save(
        manager
          .getRepository(Membership)
          .create({ associationId, municipalityCode: dto.municipalityCode, validFrom, validTo: null }),
      );
      await this.announceJoined(manager, [membership]);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'membership.opened',
        entityType: 'association',
        entityId: associationId,
        changes: { municipalityCode: dto.municipalityCode, validFrom },
      });
      return membership;
    });
  }

  async closeMembership(
    caller: Caller,
    associationId: string,
    membershipId: string,
    dto: CloseMembershipDto,
  ): Promise<Membership> {
    return this.transactions.run(async (manager) => {
      await this.lock(manager, associationId);
      const membership = await manager.getRepository(Membership).findOneBy({ id: membershipId, associationId });
      if (!membership) throw notFound('Membership', membershipId);
      if (membership.validTo) throw conflict(`Membership ${membershipId} was closed on ${membership.validTo}`);
      const validTo = dto.validTo ?? today();
      if (validTo < membership.validFrom) {
        throw ruleViolation('MEMBERSHIP_PERIOD', `validTo ${validTo} is before validFrom ${membership.validFrom}`);
      }
      membership.validTo = validTo;
      await manager.save(membership);
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'membership.closed',
        entityType: 'association',
        entityId: associationId,
        changes: { municipalityCode: membership.municipalityCode, validTo },
      });
      return membership;
    });
  }

  /** Which association covered each municipality on a date (memberships are [validFrom, validTo)). */
  async coveringAssociations(
    codes: string[],
    date: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, string>> {
    if (codes.length === 0) return new Map();
    const rows = await manager
      .getRepository(Membership)
      .createQueryBuilder('membership')
      .where('membership.municipality_code IN (:...codes)', { codes })
      .andWhere('membership.valid_from <= :date', { date })
      .andWhere(
        new Brackets((where) =>
          where.where('membership.valid_to IS NULL').orWhere('membership.valid_to > :date', { date }),
        ),
      )
      .orderBy('membership.valid_from', 'DESC')
      .getMany();
    const covering = new Map<string, string>();
    for (const row of rows)
      if (!covering.has(row.municipalityCode)) covering.set(row.municipalityCode, row.associationId);
    return covering;
  }

  /**
   * The association covering each municipality of $codes (an SQL expression) on $date, one row per
   * covered municipality (code, id, "externalId", name): for composing into routing's one read.
   */
  coverageSql(codes: string, date: string): string {
    return `SELECT DISTINCT ON (membership.municipality_code) membership.municipality_code AS code,
              association.id, association.external_id AS "externalId", association.name
         FROM membership JOIN coordination_association association ON association.id = membership.association_id
        WHERE membership.municipality_code = ANY(${codes}) AND membership.valid_from <= ${date}
          AND (membership.valid_to IS NULL OR membership.valid_to > ${date})
        ORDER BY membership.municipality_code, membership.valid_from DESC`;
  }

  /** Names by id, for reports that show names rather than ids. */
  async namesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(CoordinationAssociation)
      .find({ where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(rows.map((row) => [row.id, row.name]));
  }

  /** The active associations whose registry-listed chief has this e-mail (case-insensitive). */
  findActiveByChiefEmail(email: string): Promise<CoordinationAssociation[]> {
    return this.dataSource
      .getRepository(CoordinationAssociation)
      .createQueryBuilder('association')
      .where('association.active AND lower(association.chief_email) = lower(:email)', { email })
      .orderBy('association.name')
      .getMany();
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<CoordinationAssociation | null> {
    return manager.getRepository(CoordinationAssociation).findOneBy({ id });
  }

  /** The receiver answered 410 Gone: stop pushing until an administrator sets a new endpoint. */
  async disableEndpoint(manager: EntityManager, id: string, actor: string): Promise<void> {
    await manager.update(
      CoordinationAssociation,
      { id, endpointDisabledAt: IsNull() },
      { endpointDisabledAt: new Date() },
    );
    await this.audit.record(manager, {
      actor,
      action: 'association.endpoint_disabled',
      entityType: 'association',
      entityId: id,
    });
  }

  /** The endpoint's signing secret in clear, for signing a delivery; never for a response. */
  openSecret(association: CoordinationAssociation): string | null {
    return association.endpointSecretEncrypted ? this.secrets.open(association.endpointSecretEncrypted) : null;
  }

  /** A municipality that joins may have handovers waiting for it: resolve them (RESOLVE_JOINED job). */
  async announceJoined(manager: EntityManager, memberships: Membership[]): Promise<void> {
    for (const membership of memberships) {
      await this.outbox.add(manager, JobName.RESOLVE_JOINED, {
        membershipId: membership.id,
        municipalityCode: membership.municipalityCode,
        associationId: membership.associationId,
      });
    }
  }

  private async lock(manager: EntityManager, associationId: string): Promise<CoordinationAssociation> {
    const association = await manager
      .getRepository(CoordinationAssociation)
      .findOne({ where: { id: associationId }, lock: { mode: 'pessimistic_write' } });
    if (!association) throw notFound('Association', associationId);
    return association;
  }

  private chiefColumns(chief: { name: string; email: string } | null) {
    return { chiefName: chief?.name ?? null, chiefEmail: chief?.email ?? null };
  }

  private endpointColumns(endpoint: { url: string; secret: string } | null) {
    return {
      endpointUrl: endpoint?.url ?? null,
      endpointSecretEncrypted: endpoint ? this.secrets.seal(endpoint.secret) : null,
      endpointDisabledAt: null,
    };
  }
}

/** How an endpoint write changed the signing secret, for the audit event (never the secret itself). */
function secretChange(before: string | null, endpoint: { secret: string } | null): string | undefined {
  if (endpoint) return before ? 'replaced' : 'set';
  return before ? 'removed' : undefined;
}
