import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { IfMatch, setEtag } from '../core/http/etag';
import { PageQuery, mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { CreatePlanDto, PlanQuery, RevisePlanDto, SignOffDto } from './plan.dto';
import { toPlanSummaryView, toPlanView, toRevisionView, toRevisionWithSignOffsView } from './plan.views';
import { PlanDetail, PlansService } from './plans.service';

const RevisionNumber = new ParseIntPipe({
  exceptionFactory: () => validationFailed([{ field: 'revision', message: 'revision must be a whole number' }]),
});

@ApiTags('plans')
@ApiBearerAuth()
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: PlanQuery) {
    return mapPage(await this.plans.list(caller, query), toPlanSummaryView);
  }

  @Get(':id')
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.plans.get(caller, id), reply);
  }

  @Post()
  @Roles(Role.ADMIN, Role.COORDINATOR)
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreatePlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.plans.create(caller, dto), reply);
  }

  @Post(':id/revisions')
  @Roles(Role.ADMIN, Role.COORDINATOR)
  async revise(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: RevisePlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.plans.revise(caller, id, version, dto.content), reply);
  }

  @Get(':id/revisions')
  async revisions(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    return mapPage(await this.plans.listRevisions(caller, id, query), (revision) => toRevisionView(revision));
  }

  @Get(':id/revisions/:revision')
  async revision(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('revision', RevisionNumber) revision: number,
  ) {
    return toRevisionWithSignOffsView(await this.plans.getRevision(caller, id, revision));
  }

  @Post(':id/sign-offs')
  @Roles(Role.ADMIN, Role.COORDINATOR)
  async signOff(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: SignOffDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.plans.signOff(caller, id, version, dto), reply);
  }
}

function view(detail: PlanDetail, reply: FastifyReply) {
  setEtag(reply, detail.plan.version);
  return toPlanView(detail);
}
