import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { toAreaView } from '../areas/area.views';
import { EndpointDto } from '../associations/association.dto';
import { AreasService } from '../areas/areas.service';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ReadinessService } from '../readiness/readiness.service';
import { FinishService } from './finish.service';
import { DecisionDto, FeedQuery, HandoverQuery } from './handover.dto';
import { toAttemptView, toHandoverView } from './handover.views';
import { HandoversService } from './handovers.service';

@ApiTags('handovers')
@ApiBearerAuth()
@Controller()
export class HandoversController {
  constructor(
    private readonly handovers: HandoversService,
    private readonly finishing: FinishService,
    private readonly areas: AreasService,
    private readonly readiness: ReadinessService,
  ) {}

  /**
   * 202 when this call finished the area (routing follows); 200 with the handovers so far when it was
   * finished before. Either way with the area's readiness, which warns and never blocks.
   */
  @Post('areas/:id/finish')
  @Roles(Role.ADMIN, Role.COORDINATOR)
  async finish(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const { finishedNow } = await this.finishing.finish(caller, id);
    void reply.status(finishedNow ? 202 : 200);
    return {
      area: toAreaView(await this.areas.get(caller, id)),
      handovers: (await this.handovers.forArea(id)).map((handover) => toHandoverView(handover)),
      readiness: await this.readiness.assess(id),
    };
  }

  @Get('handovers')
  async list(@CurrentCaller() caller: Caller, @Query() query: HandoverQuery) {
    return mapPage(await this.handovers.list(caller, query), (handover) => toHandoverView(handover));
  }

  @Get('handovers/:id')
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    const handover = await this.handovers.get(caller, id);
    return {
      ...toHandoverView(handover, { withPackage: true }),
      attempts: (await this.handovers.attempts(id)).map(toAttemptView),
    };
  }

  @Post('handovers/:id/decision')
  @Roles(Role.ASSOCIATION_CHIEF)
  @HttpCode(200)
  async decide(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: DecisionDto) {
    return toHandoverView(await this.handovers.decide(caller, id, dto));
  }

  @Post('handovers/:id/redeliver')
  @Roles(Role.ADMIN)
  @HttpCode(202)
  async redeliver(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toHandoverView(await this.handovers.redeliver(caller, id));
  }

  /** Where a direct recipient that had none can receive its AWAITING_RECIPIENT handover: it is sent there (202). */
  @Post('handovers/:id/recipient-endpoint')
  @Roles(Role.ADMIN)
  @HttpCode(202)
  async setRecipientEndpoint(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: EndpointDto,
  ) {
    return toHandoverView(await this.handovers.setRecipientEndpoint(caller, id, dto));
  }

  /** The association's pull feed, in delivery order; only its own chief (or an administrator) reads it. */
  @Get('associations/:id/handovers')
  @Roles(Role.ASSOCIATION_CHIEF, Role.ADMIN, Role.SERVICE)
  async feed(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: FeedQuery) {
    return mapPage(await this.handovers.feed(caller, id, query), (handover) =>
      toHandoverView(handover, { withPackage: true }),
    );
  }
}
