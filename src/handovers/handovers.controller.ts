import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { toAreaView } from '../areas/area.views';
import { EndpointDto } from '../associations/association.dto';
import { AreasService } from '../areas/areas.service';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, SCOPE } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ReadinessService } from '../readiness/readiness.service';
import { FinishService } from './finish.service';
import { DecisionDto, FeedQuery, HandoverQuery } from './handover.dto';
import {
  FinishView,
  HandoverDetailView,
  HandoverListItemView,
  HandoverView,
  HandoverWithPackageView,
  toAttemptView,
  toHandoverListItemView,
  toHandoverView,
  toHandoverWithPackageView,
} from './handover.views';
import { HandoversService } from './handovers.service';

@ApiTags('handovers')
@Controller()
export class HandoversController {
  constructor(
    private readonly handovers: HandoversService,
    private readonly finishing: FinishService,
    private readonly areas: AreasService,
    private readonly readiness: ReadinessService,
  ) {}

  @Post('areas/:id/finish')
  @Endpoint({
    summary: "Finish an area's KUR work and hand it over",
    description:
      'Checks the rules (every activity done, every cooperation plan agreed) and marks the area FINISHED; routing to the covering associations follows in the worker. Repeating it is harmless.',
    roles: [Role.ADMIN, Role.COORDINATOR],
    scope: SCOPE.AREAS,
    responses: [
      { status: 202, type: FinishView, description: 'This call finished the area; its handovers follow' },
      { status: 200, type: FinishView, description: 'It was finished already: the handovers so far' },
    ],
    errors: [400, 404, 422, 503],
  })
  async finish(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FinishView> {
    const { finishedNow } = await this.finishing.finish(caller, id);
    void reply.status(finishedNow ? 202 : 200);
    return {
      area: toAreaView(await this.areas.get(caller, id)),
      handovers: (await this.handovers.forArea(id)).map(toHandoverView),
      readiness: await this.readiness.assess(id),
    };
  }

  @Get('handovers')
  @Endpoint({
    summary: 'List handovers, with the names of their area and municipalities',
    scope: SCOPE.HANDOVERS,
    responses: { status: 200, type: PageOf(HandoverListItemView) },
    errors: [400],
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: HandoverQuery) {
    return mapPage(await this.handovers.named(await this.handovers.list(caller, query)), toHandoverListItemView);
  }

  @Get('handovers/:id')
  @Endpoint({
    summary: 'Read a handover with its package and delivery attempts',
    scope: SCOPE.HANDOVERS,
    responses: { status: 200, type: HandoverDetailView },
    errors: [400, 404],
  })
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string): Promise<HandoverDetailView> {
    const handover = await this.handovers.get(caller, id);
    return {
      ...toHandoverWithPackageView(handover),
      attempts: (await this.handovers.attempts(id)).map(toAttemptView),
    };
  }

  @Post('handovers/:id/decision')
  @HttpCode(200)
  @Endpoint({
    summary: 'Accept or decline a handover',
    description: 'A decline (with a reason) opens a resolution case per municipality for the administrators.',
    roles: [Role.ASSOCIATION_CHIEF],
    scope: SCOPE.HANDOVERS,
    body: true,
    responses: { status: 200, type: HandoverView },
    errors: [404, 422],
  })
  async decide(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: DecisionDto) {
    return toHandoverView(await this.handovers.decide(caller, id, dto));
  }

  @Post('handovers/:id/redeliver')
  @HttpCode(202)
  @Endpoint({
    summary: 'Deliver a FAILED handover again',
    description: 'The same webhook-id as before, so the receiver can drop a duplicate.',
    roles: [Role.ADMIN],
    responses: { status: 202, type: HandoverView },
    errors: [400, 404, 409, 503],
  })
  async redeliver(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toHandoverView(await this.handovers.redeliver(caller, id));
  }

  @Post('handovers/:id/recipient-endpoint')
  @HttpCode(202)
  @Endpoint({
    summary: 'Give an AWAITING_RECIPIENT handover the endpoint where its municipality receives it',
    description: 'The handover is then sent there (202), like a redelivery.',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 202, type: HandoverView },
    errors: [404, 409],
  })
  async setRecipientEndpoint(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Body() dto: EndpointDto,
  ) {
    return toHandoverView(await this.handovers.setRecipientEndpoint(caller, id, dto));
  }

  @Get('associations/:id/handovers')
  @Endpoint({
    summary: "An association's handover feed, in delivery order",
    description: 'For associations without a push endpoint: read on from the last `nextCursor` (`after`).',
    roles: [Role.ASSOCIATION_CHIEF, Role.ADMIN, Role.SERVICE],
    scope: SCOPE.ASSOCIATION,
    responses: { status: 200, type: PageOf(HandoverWithPackageView) },
    errors: [400, 404],
  })
  async feed(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: FeedQuery) {
    return mapPage(await this.handovers.feed(caller, id, query), toHandoverWithPackageView);
  }
}
