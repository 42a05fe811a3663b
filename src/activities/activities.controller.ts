import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, RECORDS_AREA_WORK, SCOPE } from '../auth/endpoint';
import { Caller } from '../auth/principal';
import { IfMatch, setEtag } from '../core/http/etag';
import { PageOf } from '../core/http/api-docs';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ActivityQuery, CreateActivityDto, UpdateActivityDto } from './activity.dto';
import { Activity } from './activity.entity';
import { ActivityView, toActivityView } from './activity.views';
import { ActivitiesService } from './activities.service';

@ApiTags('activities')
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  @Endpoint({
    summary: 'List activities',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: PageOf(ActivityView) },
    errors: [400],
  })
  async list(@CurrentCaller() caller: Caller, @Query() query: ActivityQuery) {
    return mapPage(await this.activities.list(caller, query), toActivityView);
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read an activity',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: ActivityView, etag: true },
    errors: [400, 404],
  })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.activities.get(caller, id), reply);
  }

  @Post()
  @Endpoint({
    summary: 'Record an activity of an area',
    ...RECORDS_AREA_WORK,
    responses: { status: 201, type: ActivityView, etag: true },
    errors: [404, 409, 422],
  })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateActivityDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.activities.create(caller, dto), reply);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change an activity (its progress, participants, costs, status)',
    ...RECORDS_AREA_WORK,
    responses: { status: 200, type: ActivityView, etag: true },
    errors: [404, 409, 422],
  })
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: UpdateActivityDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.activities.update(caller, id, version, dto), reply);
  }
}

function view(activity: Activity, reply: FastifyReply) {
  setEtag(reply, activity.version);
  return toActivityView(activity);
}
