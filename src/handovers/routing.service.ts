import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Transactions } from '../core/database/transactions';
import type { Area } from '../areas/area.entity';
import { AreasService } from '../areas/areas.service';
import { AssociationsService } from '../associations/associations.service';
import { AuditService } from '../audit/audit.service';
import { today } from '../core/time';
import { OutboxService } from '../outbox/outbox.service';
import { JobName } from '../queue/job-catalogue';
import { Resolution, ResolutionCaseReason } from '../resolutions/resolution.enums';
import { ResolutionsService } from '../resolutions/resolutions.service';
import { HandoverStatus, RecipientType } from './handover.enums';
import { Handover } from './handover.entity';
import { AreaWork, PackageBuilder } from './package-builder';

const ACTOR = 'system:routing';

/**
 * Routing: an area's municipalities are grouped by the association covering each on the day;
 * one handover per association, and one waiting handover (with a resolution case) per
 * municipality no association covers. Idempotent per (area, revision).
 */
@Injectable()
export class RoutingService {
  private readonly logger = new Logger(RoutingService.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly areas: AreasService,
    private readonly associations: AssociationsService,
    private readonly resolutions: ResolutionsService,
    private readonly packages: PackageBuilder,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
  ) {}

  async routeArea(areaId: string, revision: number): Promise<number> {
    return this.transactions.run(async (manager) => {
      const area = await this.areas.lockById(manager, areaId);
      await this.areas.markRouted(manager, areaId, revision);
      if (await manager.getRepository(Handover).existsBy({ areaId, revision })) return 0;
      const codes = (await this.areas.municipalityCodes([areaId], manager)).get(areaId) ?? [];
      const covering = await this.associations.coveringAssociations(codes, today(), manager);
      const groups = new Map<string, string[]>();
      const uncovered: string[] = [];
      for (const code of codes) {
        const associationId = covering.get(code);
        if (associationId) groups.set(associationId, [...(groups.get(associationId) ?? []), code]);
        else uncovered.push(code);
      }
      const created: Handover[] = [];
      const work = await this.packages.areaWork(manager, area);
      for (const [associationId, members] of groups) {
        const handover = await this.create(
          manager,
          area,
          revision,
          `association:${associationId}`,
          members,
          HandoverStatus.READY,
        );
        await this.readyForAssociation(manager, handover, work, associationId);
        created.push(handover);
      }
      for (const code of uncovered) {
        const handover = await this.create(
          manager,
          area,
          revision,
          `municipality:${code}`,
          [code],
          HandoverStatus.PENDING_RESOLUTION,
        );
        await this.resolutions.open(manager, handover, code, ResolutionCaseReason.NO_ASSOCIATION, ACTOR);
        created.push(handover);
      }
      if (revision > 1) await this.supersede(manager, areaId, revision, created);
      this.logger.log({ areaId, revision, handovers: created.length, waiting: uncovered.length }, 'Routed an area');
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

  /** The previous revision's handover with the same routing key is replaced by the new one. */
  private async supersede(
    manager: EntityManager,
    areaId: string,
    revision: number,
    created: Handover[],
  ): Promise<void> {
    for (const handover of created) {
      await manager.update(
        Handover,
        { areaId, revision: revision - 1, routingKey: handover.routingKey },
        { supersededById: handover.id },
      );
    }
  }
}
