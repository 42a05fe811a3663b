import { INestApplicationContext } from '@nestjs/common';
import { AsyncLocalStorage } from 'node:async_hooks';
import { DataSource } from 'typeorm';
import { OutboxRelay } from '../../src/outbox/outbox-relay';
import { JobHandler, JobWorkers } from '../../src/queue/job-workers';
import { JobName } from '../../src/queue/job-catalogue';

/**
 * Counts the SQL statements an app really sends through its DataSource (every query TypeORM runs,
 * START TRANSACTION and COMMIT included), in total and by who sent them: a job by its name, the
 * outbox relay, or anything else. Nothing is mocked: the count is taken where TypeORM logs each
 * statement just before sending it to PostgreSQL.
 */
export interface SqlCounter {
  /** Statements since the last reset. */
  total(): number;
  /** Statements since the last reset by sender: a job name, `relay`, or `other`. */
  bySender(): Record<string, number>;
  /** The statements' text since the last reset, when started with `keepText`. */
  statements(): { sender: string; sql: string }[];
  reset(): void;
  stop(): void;
}

const sender = new AsyncLocalStorage<string>();

/**
 * `bySender: false` counts only the total: attributing statements runs every job in
 * AsyncLocalStorage, whose promise hooks, once on, slow every promise of the process (a bench's
 * timed rounds count without them).
 */
export function countStatements(
  app: INestApplicationContext,
  { keepText = false, bySender = true }: { keepText?: boolean; bySender?: boolean } = {},
): SqlCounter {
  const dataSource = app.get(DataSource);
  const logger = dataSource.logger;
  const original = logger.logQuery.bind(logger);
  let counts: Record<string, number> = {};
  let texts: { sender: string; sql: string }[] = [];
  let counting = true;
  logger.logQuery = (query, parameters, queryRunner) => {
    if (counting) {
      const who = sender.getStore() ?? 'other';
      counts[who] = (counts[who] ?? 0) + 1;
      if (keepText) texts.push({ sender: who, sql: query });
    }
    return original(query, parameters, queryRunner);
  };
  const restoreSenders = bySender ? attributeSenders(app) : () => undefined;
  return {
    total: () => Object.values(counts).reduce((sum, count) => sum + count, 0),
    bySender: () => ({ ...counts }),
    statements: () => [...texts],
    reset: () => {
      counts = {};
      texts = [];
    },
    stop: () => {
      counting = false;
      logger.logQuery = original;
      restoreSenders();
    },
  };
}

/**
 * Runs each job handler and each relay pass under its sender's name. The worker looks its
 * handlers up per job and the relay calls relayPending per pass, so wrapping them after start works.
 */
function attributeSenders(app: INestApplicationContext): () => void {
  const restores: (() => void)[] = [];
  const workers = tryGet(app, JobWorkers);
  if (workers) {
    // The handler table is private to JobWorkers; only this test helper reaches into it.
    const handlers = (workers as unknown as { handlers: Map<JobName, JobHandler<JobName>> }).handlers;
    for (const [name, handler] of handlers) {
      handlers.set(name, (payload, context) => sender.run(name, () => handler(payload, context)));
      restores.push(() => handlers.set(name, handler));
    }
  }
  const relay = tryGet(app, OutboxRelay);
  if (relay) {
    const relayPending = relay.relayPending.bind(relay);
    relay.relayPending = () => sender.run('relay', relayPending);
    restores.push(() => (relay.relayPending = relayPending));
  }
  return () => restores.forEach((restore) => restore());
}

function tryGet<T>(app: INestApplicationContext, type: new (...args: never[]) => T): T | undefined {
  try {
    return app.get(type, { strict: false });
  } catch {
    return undefined;
  }
}
