import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { AppConfig } from '../../../config/app-config';

/** SQLSTATEs of a transaction that lost to a concurrent one and may simply run again. */
const CONTENTION = new Set(['40P01' /* deadlock_detected */, '40001' /* serialization_failure */]);
const BACKOFF_MS = 20;

/** A deadlock or serialization failure: nothing was written, and trying again may well succeed. */
export function isContention(error: unknown): boolean {
  return error instanceof QueryFailedError && CONTENTION.has((error.driverError as { code?: string })?.code ?? '');
}

/**
 * The one way to run a transaction that may race another: when PostgreSQL aborts it for a deadlock
 * or a serialization conflict it runs again, up to TRANSACTION_ATTEMPTS tries with jittered
 * exponential backoff (so the two racers do not collide again in step); then the error goes up
 * (the API answers 503). The work must have no effects outside the transaction.
 */
@Injectable()
export class Transactions {
  private readonly logger = new Logger(Transactions.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (!isContention(error) || attempt >= this.config.TRANSACTION_ATTEMPTS) throw error;
        const delayMs = Math.round(BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + Math.random()));
        this.logger.warn(
          { attempt, delayMs, error: (error as Error).message },
          'Transaction lost a race; trying again',
        );
        await sleep(delayMs);
      }
    }
  }
}
