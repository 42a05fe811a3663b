import { ApiProperty } from '@nestjs/swagger';
import { KurPhase } from '../areas/area.enums';
import { DATE_TIME } from '../core/http/api-docs';
import { ProgrammeBudget } from './programme-budget.entity';

export class ReportColumnView {
  @ApiProperty({ example: 'reported' })
  key: string;

  @ApiProperty({ example: 'Enligt slutrapporten' })
  title: string;
}

export class ReportTableView {
  @ApiProperty()
  id: string;

  @ApiProperty({ description: 'Swedish' })
  title: string;

  @ApiProperty({ type: [ReportColumnView] })
  columns: ReportColumnView[];

  @ApiProperty({
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: {
        anyOf: [
          { type: 'string', nullable: true },
          { type: 'number', nullable: true },
        ],
      },
    },
    description: 'One object per row, keyed by column key',
  })
  rows: Record<string, string | number | null>[];
}

export class NationalReportView {
  @ApiProperty({ enum: KurPhase })
  phase: KurPhase;

  @ApiProperty(DATE_TIME)
  generatedAt: string;

  @ApiProperty({ type: [ReportTableView] })
  tables: ReportTableView[];
}

export class ProgrammeBudgetView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: KurPhase })
  kurPhase: KurPhase;

  @ApiProperty({ type: 'integer' })
  yearFrom: number;

  @ApiProperty({ type: 'integer' })
  yearTo: number;

  @ApiProperty({ type: 'integer', nullable: true })
  allottedSek: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  distributedSek: number | null;

  @ApiProperty({ type: 'integer', nullable: true })
  repaidSek: number | null;

  @ApiProperty({ description: 'Where the figures come from' })
  source: string;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ type: 'integer', description: 'Also sent as ETag' })
  version: number;

  @ApiProperty(DATE_TIME)
  updatedAt: string;
}

export const toProgrammeBudgetView = (row: ProgrammeBudget): ProgrammeBudgetView => ({
  id: row.id,
  kurPhase: row.kurPhase,
  yearFrom: row.yearFrom,
  yearTo: row.yearTo,
  allottedSek: row.allottedSek,
  distributedSek: row.distributedSek,
  repaidSek: row.repaidSek,
  source: row.source,
  note: row.note,
  version: row.version,
  updatedAt: row.updatedAt.toISOString(),
});
