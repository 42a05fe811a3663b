import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { FollowUpQuery, FollowUpReportDto } from './follow-up.dto';
import { toPlanHistoryView, toRoundDetailView, toRoundView } from './follow-up.views';
import { FollowUpsService } from './follow-ups.service';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller()
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  /** Rounds by due date; a chief sees their association's, a coordinator their areas'. */
  @Get('follow-ups')
  async list(@CurrentCaller() caller: Caller, @Query() query: FollowUpQuery) {
    return mapPage(await this.followUps.list(caller, query), toRoundView);
  }

  @Get('follow-ups/:id')
  async get(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toRoundDetailView(await this.followUps.get(caller, id));
  }

  /** The association's chief reports a due or overdue round; reporting again supersedes, both kept. */
  @Post('follow-ups/:id/report')
  @Roles(Role.ASSOCIATION_CHIEF)
  @HttpCode(201)
  async report(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: FollowUpReportDto) {
    return toRoundDetailView(await this.followUps.report(caller, id, dto));
  }

  @Get('plans/:id/follow-up-history')
  async history(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string) {
    return toPlanHistoryView(id, await this.followUps.history(caller, id));
  }
}
