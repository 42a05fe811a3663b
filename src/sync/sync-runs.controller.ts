import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role, actorOf } from '../auth/principal';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { RequestSyncDto, SyncRunQuery } from './sync-run.dto';
import { toSyncRunView } from './sync-run.views';
import { SyncRunsService } from './sync-runs.service';

@ApiTags('sync runs')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('sync-runs')
export class SyncRunsController {
  constructor(private readonly runs: SyncRunsService) {}

  /** Starts a run now (the worker picks it up); follow it with GET /sync-runs/{id}. */
  @Post()
  @HttpCode(202)
  async request(@CurrentCaller() caller: Caller, @Body() dto: RequestSyncDto) {
    return toSyncRunView(await this.runs.requestNow(dto.kind, actorOf(caller)));
  }

  @Get()
  async list(@Query() query: SyncRunQuery) {
    return mapPage(await this.runs.list(query), toSyncRunView);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string) {
    return toSyncRunView(await this.runs.get(id));
  }
}
