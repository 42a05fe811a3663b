import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { IfMatch, setEtag } from '../core/http/etag';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { AreaQuery, CreateAreaDto, UpdateAreaDto } from './area.dto';
import { toAreaView } from './area.views';
import { AreasService, AreaWithMunicipalities } from './areas.service';

@ApiTags('areas')
@ApiBearerAuth()
@Controller('areas')
export class AreasController {
  constructor(private readonly areas: AreasService) {}

  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: AreaQuery) {
    return mapPage(await this.areas.list(caller, query), toAreaView);
  }

  @Get(':id')
  async get(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return view(await this.areas.get(caller, id), reply);
  }

  @Post()
  @Roles(Role.ADMIN)
  async create(
    @CurrentCaller() caller: Caller,
    @Body() dto: CreateAreaDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    void reply.status(201);
    return view(await this.areas.create(caller, dto), reply);
  }

  @Patch(':id')
  @Roles(Role.ADMIN)
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

function view(area: AreaWithMunicipalities, reply: FastifyReply) {
  setEtag(reply, area.area.version);
  return toAreaView(area);
}
