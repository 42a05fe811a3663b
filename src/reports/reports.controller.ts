import { Body, Controller, Get, Headers, Param, Patch, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';
import { PageOf } from '../core/http/api-docs';
import { IfMatch, setEtag } from '../core/http/etag';
import { UuidParam } from '../core/http/params';
import { validationFailed } from '../core/http/problem';
import { NationalReportService } from './national-report.service';
import { NationalReportView, ProgrammeBudgetView, toProgrammeBudgetView } from './report.views';
import { ProgrammeBudgetService } from './programme-budget.service';
import { NationalReportQuery, UpdateProgrammeBudgetDto } from './report.dto';
import { tableToCsv } from './report-table';

@ApiTags('reports')
@Controller()
export class ReportsController {
  constructor(
    private readonly report: NationalReportService,
    private readonly budget: ProgrammeBudgetService,
  ) {}

  @Get('reports/national')
  @Endpoint({
    summary: 'The national report (återrapportering), computed live',
    description:
      '`format=csv` (or `Accept: text/csv`) with `table` gives one table as CSV for Swedish Excel: UTF-8 with a ' +
      'byte order mark, `;` between fields, CRLF line ends, a header row of the Swedish column titles.',
    roles: [Role.ADMIN, Role.SERVICE],
    responses: { status: 200, type: NationalReportView, csv: true },
    errors: [400],
  })
  async national(
    @Query() query: NationalReportQuery,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const csv = query.format === 'csv' || (!query.format && accept?.includes('text/csv'));
    if (csv && !query.table) throw validationFailed([{ field: 'table', message: 'table is required for CSV' }]);
    const report = await this.report.generate(query.phase);
    if (!csv) return report;
    const table = report.tables.find((candidate) => candidate.id === query.table)!;
    void reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="aterrapportering-${query.phase}-${table.id}.csv"`);
    return tableToCsv(table);
  }

  @Get('programme-budget')
  @Endpoint({
    summary: "The KUR programme's budget per phase and years",
    roles: [Role.ADMIN, Role.SERVICE],
    responses: { status: 200, type: PageOf(ProgrammeBudgetView) },
  })
  async listBudget() {
    return { items: (await this.budget.list()).map(toProgrammeBudgetView), nextCursor: null };
  }

  @Patch('programme-budget/:id')
  @Endpoint({
    summary: 'Change a programme budget row',
    roles: [Role.ADMIN],
    body: true,
    responses: { status: 200, type: ProgrammeBudgetView, etag: true },
    errors: [404, 422],
  })
  async updateBudget(
    @CurrentCaller() caller: Caller,
    @Param('id', UuidParam) id: string,
    @IfMatch() version: number,
    @Body() dto: UpdateProgrammeBudgetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const row = await this.budget.update(caller, id, version, dto);
    setEtag(reply, row.version);
    return toProgrammeBudgetView(row);
  }
}
