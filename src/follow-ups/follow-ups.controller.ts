import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, SCOPE } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { FollowUpQuery, FollowUpReportDto } from './follow-up.dto';
import {
  PlanHistoryView,
  RoundDetailView,
  RoundListItemView,
  toPlanHistoryView,
  toRoundDetailView,
  toRoundListItemView,
} from './follow-up.views';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@Controller()
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get('follow-ups')
  @Endpoint({
    summary: 'Follow-up rounds, by due date, with what people call their plans',
    scope: SCOPE.HANDOVERS,
    responses: { status: 200, type: PageOf(RoundListItemView) },
    errors: [400],
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: FollowUpQuery) {
    return mapPage(await this.followUps.labelled(await this.followUps.list(caller, query)), toRoundListItemView);
  }

  @Get('follow-ups/:id')
  @Endpoint({
    summary: 'A follow-up round with what it asks and every report',
    scope: SCOPE.HANDOVERS,
    responses: { status: 200, type: RoundDetailView },
    errors: [400, 404],
  })
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toRoundDetailView(await this.followUps.get(caller, id));
  }

  @Post('follow-ups/:id/report')
  @HttpCode(201)
  @Endpoint({
    summary: 'Report a due or overdue follow-up round',
    description: 'Reporting again supersedes the earlier report; both are kept.',
    roles: [Role.ASSOCIATION_CHIEF],
    scope: SCOPE.HANDOVERS,
    body: true,
    responses: { status: 201, type: RoundDetailView },
    errors: [404, 409, 422],
  })
  async report(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: FollowUpReportDto) {
    return toRoundDetailView(await this.followUps.report(caller, id, dto));
  }

  @Get('plans/:id/follow-up-history')
  @Endpoint({
    summary: "How a plan's goals went, round by round",
    scope: SCOPE.HANDOVERS,
    responses: { status: 200, type: PlanHistoryView },
    errors: [400, 404],
  })
  async history(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toPlanHistoryView(id, await this.followUps.history(caller, id));
  }
}
