import { Body, Controller, Get, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, RECORDS_AREA_WORK, SCOPE } from '../auth/endpoint';
import { Caller } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { IfMatch, setEtag } from '../core/http/etag';
import { PageQuery, mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { CreatePlanDto, PlanQuery, RevisePlanDto, SignOffDto } from './plan.dto';
import {
  PlanSummaryView,
  PlanView,
  RevisionView,
  toPlanSummaryView,
  toPlanView,
  toRevisionView,
  toRevisionWithSignOffsView,
} from './plan.views';
import { PlanDetail, PlansService } from './plans.service';

const RevisionNumber = new ParseIntPipe({
  exceptionFactory: () => validationFailed([{ field: 'revision', message: 'revision must be a whole number' }]),
});

@ApiTags('plans')
@Controller('plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @Endpoint({
    summary: 'List plans',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: PageOf(PlanSummaryView) },
    errors: [400],
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: PlanQuery) {
    return mapPage(await this.plans.list(caller, query), toPlanSummaryView);
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read a plan with its latest revision',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: PlanView, etag: true },
    errors: [400, 404],
  })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.plans.get(caller, id), reply);
  }

  @Post()
  @Endpoint({
    summary: 'Write a plan for an activity (revision 1)',
    ...RECORDS_AREA_WORK,
    responses: { status: 201, type: PlanView, etag: true },
    errors: [404, 409, 422],
  })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreatePlanDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.plans.create(caller, dto), reply);
  }

  @Post(':id/revisions')
  @Endpoint({
    summary: 'Revise a plan (a new immutable revision; its sign-offs start over)',
    ...RECORDS_AREA_WORK,
    responses: { status: 201, type: PlanView, etag: true },
    errors: [404, 422],
  })
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
  @Endpoint({
    summary: "A plan's revisions",
    scope: SCOPE.AREAS,
    responses: { status: 200, type: PageOf(RevisionView) },
    errors: [400, 404],
  })
  async revisions(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Query() query: PageQuery) {
    return mapPage(await this.plans.listRevisions(caller, id, query), (revision) => toRevisionView(revision));
  }

  @Get(':id/revisions/:revision')
  @Endpoint({
    summary: 'One revision of a plan with its sign-offs',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: RevisionView },
    errors: [400, 404],
  })
  @ApiParam({ name: 'revision', type: 'integer', example: 1 })
  async revision(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Param('revision', RevisionNumber) revision: number,
  ) {
    return toRevisionWithSignOffsView(await this.plans.getRevision(caller, id, revision));
  }

  @Post(':id/sign-offs')
  @Endpoint({
    summary: "Record a principal's sign-off of the latest revision",
    description: 'When all four principals have signed, the plan is AGREED.',
    ...RECORDS_AREA_WORK,
    responses: { status: 201, type: PlanView, etag: true },
    errors: [404, 409, 422],
  })
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
