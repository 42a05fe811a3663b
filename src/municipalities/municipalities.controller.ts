import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { Endpoint } from '../auth/endpoint';
import { PageOf } from '../core/http/api-docs';
import { PageQuery, mapPage } from '../core/http/pagination';
import { COUNTY_CODE, MUNICIPALITY_CODE } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { CountyView, MunicipalityView, toCountyView, toMunicipalityView } from './municipality.views';
import { MunicipalitiesService } from './municipalities.service';

class MunicipalityQuery extends PageQuery {
  @ApiPropertyOptional({ example: '01' })
  @IsOptional()
  @Matches(COUNTY_CODE, { message: 'countyCode must be a 2-digit SCB county code' })
  countyCode?: string;
}

function checkCode(code: string, pattern: RegExp, field: string): string {
  if (!pattern.test(code)) throw validationFailed([{ field, message: `${field} must match ${pattern.source}` }]);
  return code;
}

@ApiTags('reference data')
@Controller()
export class MunicipalitiesController {
  constructor(private readonly municipalities: MunicipalitiesService) {}

  @Get('counties')
  @Endpoint({ summary: 'List counties', responses: { status: 200, type: PageOf(CountyView) }, errors: [400] })
  async listCounties(@Query() query: PageQuery) {
    return mapPage(await this.municipalities.listCounties(query), toCountyView);
  }

  @Get('counties/:code')
  @Endpoint({ summary: 'Read a county', responses: { status: 200, type: CountyView }, errors: [400, 404] })
  async getCounty(@Param('code') code: string) {
    return toCountyView(await this.municipalities.getCounty(checkCode(code, COUNTY_CODE, 'code')));
  }

  @Get('municipalities')
  @Endpoint({
    summary: 'List municipalities',
    responses: { status: 200, type: PageOf(MunicipalityView) },
    errors: [400],
  })
  async list(@Query() query: MunicipalityQuery) {
    return mapPage(await this.municipalities.list(query), toMunicipalityView);
  }

  @Get('municipalities/:code')
  @Endpoint({ summary: 'Read a municipality', responses: { status: 200, type: MunicipalityView }, errors: [400, 404] })
  async get(@Param('code') code: string) {
    return toMunicipalityView(await this.municipalities.get(checkCode(code, MUNICIPALITY_CODE, 'code')));
  }
}
