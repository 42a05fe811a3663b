import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { Transactions } from '../core/database/transactions';
import { AssociationsService } from '../associations/associations.service';
import { AreasService } from '../areas/areas.service';
import { AuditService } from '../audit/audit.service';
import { Caller, actorOf } from '../auth/principal';
import { SecretBox } from '../core/secrets';
import { Page, paginate } from '../core/http/pagination';
import { conflict, notFound, ruleViolation } from '../core/domain/errors';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { OutboxService } from '../outbox/outbox.service';
import { JobName, JobPayloads } from '../queue/job-catalogue';
import { ResolutionCaseQuery, ResolveCaseDto } from './resolution.dto';
import { ResolutionCase } from './resolution-case.entity';
import { CaseNames } from './resolution.views';
import { Resolution, ResolutionCaseReason, ResolutionCaseStatus } from './resolution.enums';

/** A case to open: the waiting handover, its municipality and that municipality's county. */
/**
 * Municipalities no association takes: each waits here, with its handover, until an
 * administrator decides or the municipality joins an association. A resolved case asks the
 * handovers module (through the outbox) to route its handover.
 */
@Injectable()
export class ResolutionsService {
  private readonly logger = new Logger(ResolutionsService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly associations: AssociationsService,
    private readonly areas: AreasService,
    private readonly municipalities: MunicipalitiesService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly secrets: SecretBox,
  ) {}

  async open(
    manager: EntityManager,
    { id: handoverId, areaId }: { id: string; areaId: string },
    municipalityCode: string,
    reason: ResolutionCaseReason,
    actor: string,
    reasonDetail: string | null = null,
  ): Promise<ResolutionCase> {
    const [municipality] = await this.municipalities.findByCodes([municipalityCode], manager);
    const opened = await manager.save(
      manager.getRepository(ResolutionCase).create({
        handoverId,
        areaId,
        municipalityCode,
        countyCode: municipality.countyCode,
        reason,
        reasonDetail,
        status: ResolutionCaseStatus.OPEN,
      }),
    );
    await this.audit.record(manager, {
      actor,
      action: 'resolution_case.opened',
      entityType: 'resolution_case',
      entityId: opened.id,
      changes: { municipalityCode, reason, handoverId },
    });
    return opened;
  }

  /**
   * Two CTEs that open a case for each row of $source (columns handover_id, area_id,
   * municipality_code, county_code, reason, reason_detail), each with its audit event by $actor:
   * for composing into the statement that writes the cases' handovers.
   */
  openingSql(source: string, actor: string): string {
    return `opened_case AS (
         INSERT INTO resolution_case (handover_id, area_id, municipality_code, county_code, reason, reason_detail, status, version)
         SELECT handover_id, area_id, municipality_code, county_code, reason, reason_detail, 'OPEN', 1 FROM ${source}
         RETURNING id, handover_id, municipality_code, reason
       ), opened_case_audited AS (
         ${this.audit.eventsFrom('opened_case', {
           actor,
           action: `'resolution_case.opened'`,
           entityType: `'resolution_case'`,
           entityId: 'opened_case.id::text',
           changes: `jsonb_build_object('municipalityCode', opened_case.municipality_code, 'reason', opened_case.reason,
                                        'handoverId', opened_case.handover_id)`,
         })}
       )`;
  }

  list(filter: ResolutionCaseQuery): Promise<Page<ResolutionCase>> {
    const query = this.dataSource.getRepository(ResolutionCase).createQueryBuilder('resolution_case');
    if (filter.status) query.andWhere('resolution_case.status = :status', { status: filter.status });
    if (filter.countyCode)
      query.andWhere('resolution_case.county_code = :countyCode', { countyCode: filter.countyCode });
    if (filter.olderThanDays !== undefined) {
      query.andWhere(`resolution_case.created_at <= now() - make_interval(days => :days)`, {
        days: filter.olderThanDays,
      });
    }
    return paginate(
      query,
      [
        { column: 'resolution_case.created_at', value: (row) => row.createdAt },
        { column: 'resolution_case.id', value: (row) => row.id },
      ],
      filter,
    );
  }

  /** The area, municipality and county names of these cases, in three queries. */
  async namesOf(cases: ResolutionCase[]): Promise<CaseNames> {
    const [areas, municipalities, counties] = await Promise.all([
      this.areas.namesOf([...new Set(cases.map((found) => found.areaId))]),
      this.municipalities.municipalityNames(cases.map((found) => found.municipalityCode)),
      this.municipalities.countyNames(cases.map((found) => found.countyCode)),
    ]);
    return { areas, municipalities, counties };
  }

  async get(id: string, manager: EntityManager = this.dataSource.manager): Promise<ResolutionCase> {
    const found = await manager.getRepository(ResolutionCase).findOneBy({ id });
    if (!found) throw notFound('Resolution case', id);
    return found;
  }

  /** The cases of these handovers, for the national report. */
  forHandovers(handoverIds: string[]): Promise<ResolutionCase[]> {
    if (handoverIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ResolutionCase).findBy({ handoverId: In(handoverIds) });
  }

  /** Cases still waiting for an administrator (for the metrics). */
  countOpen(): Promise<number> {
    return this.dataSource.getRepository(ResolutionCase).countBy({ status: ResolutionCaseStatus.OPEN });
  }

  forHandover(handoverId: string, manager: EntityManager): Promise<ResolutionCase | null> {
    return manager.getRepository(ResolutionCase).findOneBy({ handoverId });
  }

  /** Of these handovers, those whose case is resolved (one query, for the handover sweep). */
  async resolvedAmong(handoverIds: string[]): Promise<string[]> {
    if (!handoverIds.length) return [];
    const cases = await this.dataSource.getRepository(ResolutionCase).find({
      select: { handoverId: true },
      where: { handoverId: In(handoverIds), status: ResolutionCaseStatus.RESOLVED },
    });
    return cases.map((found) => found.handoverId);
  }

  async resolve(caller: Caller, id: string, dto: ResolveCaseDto): Promise<ResolutionCase> {
    return this.transactions.run(async (manager) => {
      const found = await manager
        .getRepository(ResolutionCase)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!found) throw notFound('Resolution case', id);
      if (found.status !== ResolutionCaseStatus.OPEN)
        throw conflict(`Resolution case ${id} was resolved already (${found.resolution})`);
      return this.close(manager, found, await this.detailOf(manager, dto), actorOf(caller));
    });
  }

  /** A municipality joined an association: its open cases resolve themselves (RESOLVE_JOINED job). */
  async resolveJoined({ municipalityCode, associationId }: JobPayloads[JobName.RESOLVE_JOINED]): Promise<number> {
    return this.transactions.run(async (manager) => {
      const open = await manager.getRepository(ResolutionCase).find({
        where: { municipalityCode, status: ResolutionCaseStatus.OPEN },
        lock: { mode: 'pessimistic_write' },
      });
      for (const found of open) {
        await this.close(
          manager,
          found,
          { resolution: Resolution.ASSIGN_ASSOCIATION, detail: { associationId, joined: true } },
          'system:membership',
        );
      }
      if (open.length)
        this.logger.log(
          { municipalityCode, associationId, cases: open.length },
          'Resolved cases of a municipality that joined',
        );
      return open.length;
    });
  }

  private async close(
    manager: EntityManager,
    found: ResolutionCase,
    { resolution, detail }: { resolution: Resolution; detail: Record<string, unknown> },
    actor: string,
  ): Promise<ResolutionCase> {
    Object.assign(found, {
      status: ResolutionCaseStatus.RESOLVED,
      resolution,
      resolutionDetail: detail,
      resolvedBy: actor,
      resolvedAt: new Date(),
    });
    const saved = await manager.save(found);
    await this.outbox.add(manager, JobName.ROUTE_HANDOVER, { handoverId: found.handoverId });
    const { endpointSecretEncrypted: _secret, ...audited } = detail;
    await this.audit.record(manager, {
      actor,
      action: 'resolution_case.resolved',
      entityType: 'resolution_case',
      entityId: found.id,
      changes: { resolution, ...audited },
    });
    return saved;
  }

  private async detailOf(
    manager: EntityManager,
    dto: ResolveCaseDto,
  ): Promise<{ resolution: Resolution; detail: Record<string, unknown> }> {
    switch (dto.resolution) {
      case Resolution.ASSIGN_ASSOCIATION: {
        const association = await this.associations.findById(dto.associationId as string, manager);
        if (!association?.active)
          throw ruleViolation('ACTIVE_ASSOCIATION', `Association ${dto.associationId} does not exist or is inactive`);
        return { resolution: dto.resolution, detail: { associationId: association.id } };
      }
      case Resolution.DIRECT_TO_MUNICIPALITY: {
        const direct = dto.direct as NonNullable<ResolveCaseDto['direct']>;
        return {
          resolution: dto.resolution,
          detail: {
            contactName: direct.contactName,
            contactEmail: direct.contactEmail,
            endpointUrl: direct.endpoint?.url ?? null,
            endpointSecretEncrypted: direct.endpoint ? this.secrets.seal(direct.endpoint.secret) : null,
          },
        };
      }
      case Resolution.WAIVED:
        return { resolution: dto.resolution, detail: { reason: dto.reason } };
    }
  }
}
