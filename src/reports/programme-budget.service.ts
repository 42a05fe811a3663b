import { Injectable } from '@nestjs/common';
import { Transactions } from '../core/database/transactions';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, diff } from '../audit/audit.service';
import { Caller, actorOf } from '../auth/principal';
import { assertVersion } from '../core/http/etag';
import { notFound } from '../core/domain/errors';
import { pickDefined } from '../core/objects';
import { ProgrammeBudget } from './programme-budget.entity';
import { UpdateProgrammeBudgetDto } from './report.dto';

const AUDITED: (keyof ProgrammeBudget)[] = ['allottedSek', 'distributedSek', 'repaidSek', 'source', 'note'];

/** The programme's money per phase and period, which administrators keep right. */
@Injectable()
export class ProgrammeBudgetService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
  ) {}

  list(): Promise<ProgrammeBudget[]> {
    return this.dataSource
      .getRepository(ProgrammeBudget)
      .find({ order: { kurPhase: 'ASC', yearFrom: 'ASC', yearTo: 'ASC', id: 'ASC' } });
  }

  async update(caller: Caller, id: string, version: number, dto: UpdateProgrammeBudgetDto): Promise<ProgrammeBudget> {
    return this.transactions.run(async (manager) => {
      const row = await manager
        .getRepository(ProgrammeBudget)
        .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw notFound('Programme budget row', id);
      assertVersion(row.version, version, 'Programme budget row');
      const before = { ...row };
      const saved = await manager.save(
        Object.assign(row, pickDefined(dto, ['allottedSek', 'distributedSek', 'repaidSek', 'source', 'note'])),
      );
      await this.audit.record(manager, {
        actor: actorOf(caller),
        action: 'programme-budget.updated',
        entityType: 'programme_budget',
        entityId: id,
        changes: diff(before, saved, AUDITED),
      });
      return saved;
    });
  }
}
