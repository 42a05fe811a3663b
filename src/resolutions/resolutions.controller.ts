import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, Roles } from '../auth/auth.guard';
import { Caller, Role } from '../auth/principal';
import { mapPage } from '../core/http/pagination';
import { UuidParam } from '../core/http/params';
import { ResolutionCaseQuery, ResolveCaseDto } from './resolution.dto';
import { toResolutionCaseView } from './resolution.views';
import { ResolutionsService } from './resolutions.service';

@ApiTags('resolution cases')
@ApiBearerAuth()
@Roles(Role.ADMIN)
@Controller('resolution-cases')
export class ResolutionsController {
  constructor(private readonly resolutions: ResolutionsService) {}

  @Get()
  async list(@Query() query: ResolutionCaseQuery) {
    return mapPage(await this.resolutions.list(query), toResolutionCaseView);
  }

  @Get(':id')
  async get(@Param('id', UuidParam) id: string) {
    return toResolutionCaseView(await this.resolutions.get(id));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  async resolve(@CurrentCaller() caller: Caller, @Param('id', UuidParam) id: string, @Body() dto: ResolveCaseDto) {
    return toResolutionCaseView(await this.resolutions.resolve(caller, id, dto));
  }
}
