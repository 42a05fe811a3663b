import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ResolutionCaseQuery, ResolveCaseDto } from './resolution.dto';
import type { ResolutionCase } from './resolution-case.entity';
import { ResolutionCaseView, toResolutionCaseView } from './resolution.views';
import { ResolutionsService } from './resolutions.service';

@ApiTags('resolution cases')
@Controller('resolution-cases')
export class ResolutionsController {
  constructor(private readonly resolutions: ResolutionsService) {}

  @Get()
  @Endpoint({
    summary: 'List resolution cases (municipalities whose handover waits for a decision)',
    roles: [Role.ADMIN],
    responses: { status: 200, type: PageOf(ResolutionCaseView) },
    errors: [400],
  })
  async list(@Query() query: ResolutionCaseQuery) {
    const page = await this.resolutions.list(query);
    const names = await this.resolutions.namesOf(page.items);
    return mapPage(page, (found) => toResolutionCaseView(found, names));
  }

  @Get(':id')
  @Endpoint({
    summary: 'Read a resolution case',
    roles: [Role.ADMIN],
    responses: { status: 200, type: ResolutionCaseView },
    errors: [400, 404],
  })
  async get(@Param('id', UuidParam) id: string) {
    return this.view(await this.resolutions.get(id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @Endpoint({
    summary: 'Resolve a case: assign an association, hand over to the municipality directly, or waive',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 200, type: ResolutionCaseView },
    errors: [404, 409, 422],
  })
  async resolve(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: ResolveCaseDto) {
    return this.view(await this.resolutions.resolve(caller, id, dto));
  }

  private async view(found: ResolutionCase): Promise<ResolutionCaseView> {
    return toResolutionCaseView(found, await this.resolutions.namesOf([found]));
  }
}
