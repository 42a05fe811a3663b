import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint } from '../auth/endpoint';
import { Caller, Role, actorOf } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { RequestSyncDto, SyncRunQuery } from './sync-run.dto';
import { SyncRunView, toSyncRunView } from './sync-run.views';
import { SyncRunsService } from './sync-runs.service';

@ApiTags('sync runs')
@Controller('sync-runs')
export class SyncRunsController {
  constructor(private readonly runs: SyncRunsService) {}

  @Post()
  @HttpCode(202)
  @Endpoint({
    summary: 'Start a sync run now',
    description: 'The worker picks it up; follow it with GET /sync-runs/{id}.',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 202, type: SyncRunView },
  })
  async request(@CurrentCaller() caller: Caller, @Body() dto: RequestSyncDto) {
    return toSyncRunView(await this.runs.requestNow(dto.kind, actorOf(caller)));
  }

  @Get()
  @Endpoint({
    summary: 'List sync runs, oldest first (`order=desc`: newest first)',
    roles: [Role.ADMIN],
    responses: { status: 200, type: PageOf(SyncRunView) },
    errors: [400],
  })
  async list(@Query() query: SyncRunQuery) {
    return mapPage(await this.runs.list(query), toSyncRunView);
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read a sync run and its progress',
    roles: [Role.ADMIN],
    responses: { status: 200, type: SyncRunView },
    errors: [400, 404],
  })
  async get(@Param('id', UuidParam) id: string) {
    return toSyncRunView(await this.runs.get(id));
  }
}
