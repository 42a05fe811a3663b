import { Controller, Get, Query } from '@nestjs/common';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Endpoint } from '../auth/endpoint';
import { Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { TimeOrderedPageQuery, mapPage } from '../core/http/pagination';
import { AuditService } from './audit.service';
import { AuditEventView, toAuditEventView } from './audit.views';

class AuditQuery extends TimeOrderedPageQuery {
  @ApiPropertyOptional({ example: 'area' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  entityId?: string;
}

@ApiTags('audit')
@Controller('audit-events')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Endpoint({
    summary: 'List audit events, oldest first (`order=desc`: newest first)',
    roles: [Role.ADMIN],
    responses: { status: 200, type: PageOf(AuditEventView) },
    errors: [400],
  })
  async list(@Query() query: AuditQuery) {
    return mapPage(await this.audit.list(query), toAuditEventView);
  }
}
