import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint, SCOPE } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { IfMatch, setEtag } from '../core/http/etag';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { AreaQuery, CreateAreaDto, UpdateAreaDto } from './area.dto';
import { AreaView, toAreaView } from './area.views';
import { AreaRead, AreasService } from './areas.service';

@ApiTags('areas')
@Controller('areas')
export class AreasController {
  constructor(private readonly areas: AreasService) {}

  @Get()
  @Endpoint({ summary: 'List areas', scope: SCOPE.AREAS, responses: { status: 200, type: PageOf(AreaView) }, errors: [400] })
  async list(@CurrentCaller() caller: Caller, @Query() query: AreaQuery) {
    return mapPage(await this.areas.list(caller, query), toAreaView);
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read an area',
    scope: SCOPE.AREAS,
    responses: { status: 200, type: AreaView, etag: true },
    errors: [400, 404],
  })
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.areas.get(caller, id), reply);
  }

  @Post()
  @Endpoint({
    summary: 'Create an area',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 201, type: AreaView, etag: true },
    errors: [409, 422],
  })
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateAreaDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.areas.create(caller, dto), reply);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change an area (its grant, status, municipalities, contacts)',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 200, type: AreaView, etag: true },
    errors: [404, 409, 422],
  })
  async update(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: UpdateAreaDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.areas.update(caller, id, version, dto), reply);
  }
}

function view(area: AreaRead, reply: FastifyReply) {
  setEtag(reply, area.area.version);
  return toAreaView(area);
}
