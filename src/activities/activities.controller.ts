import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { IfMatch, setEtag } from '../core/http/etag';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ActivityQuery, CreateActivityDto, UpdateActivityDto } from './activity.dto';
import { Activity } from './activity.entity';
import { toActivityView } from './activity.views';
import { ActivitiesService } from './activities.service';

@ApiTags('activities')
@ApiBearerAuth()
@Controller('activities')
export class ActivitiesController {
  constructor(private readonly activities: ActivitiesService) {}

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: ActivityQuery) {
    return mapPage(await this.activities.list(caller, query), toActivityView);
  }

  @Get(':id')
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.activities.get(caller, id), reply);
  }

  @Post()
  @Roles(Role.ADMIN, Role.COORDINATOR)
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateActivityDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.activities.create(caller, dto), reply);
  }

  @Patch(':id')
  @Roles(Role.ADMIN, Role.COORDINATOR)
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
