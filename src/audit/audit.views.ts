import { ApiProperty } from '@nestjs/swagger';
import { DATE_TIME } from '../core/http/api-docs';
import { AuditEvent } from './audit-event.entity';

export class AuditEventView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: '`role:subject` of the token, or `system:<job>`', example: 'admin:anna' })
  actor: string;

  @ApiProperty({ example: 'area.updated' })
  action: string;

  @ApiProperty({ example: 'area' })
  entityType: string;

  @ApiProperty()
  entityId: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Changed fields as {field: [before, after]}; secrets never appear',
  })
  changes: Record<string, unknown>;

  @ApiProperty(DATE_TIME)
  createdAt: Date;

  @ApiProperty(DATE_TIME)
  updatedAt: Date;
}

export const toAuditEventView = (event: AuditEvent): AuditEventView => ({
  id: event.id,
  actor: event.actor,
  action: event.action,
  entityType: event.entityType,
  entityId: event.entityId,
  changes: event.changes,
  createdAt: event.createdAt,
  updatedAt: event.updatedAt,
});
