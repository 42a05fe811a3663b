import { DataSource } from 'typeorm';
import { waitFor } from './wait';

/** The application name of the relay's LISTEN connection (src/outbox/outbox-listener.ts). */
const LISTENER = 'kur-outbox-listener';

/** The backend pids of this database's outbox listeners. */
export const outboxListeners = async (dataSource: DataSource): Promise<number[]> =>
  (
    await dataSource.query(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
      [LISTENER],
    )
  ).map((row: { pid: number }) => row.pid);

/** Ends every outbox listener connection of this database (they come back after OUTBOX_LISTEN_RETRY_MS). */
export const cutOutboxListeners = (dataSource: DataSource): Promise<unknown> =>
  dataSource.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [LISTENER],
  );

/**
 * Leaves the relay to its polling alone: waits for the listener, cuts it and waits until it is
 * gone (start the app with a long OUTBOX_LISTEN_RETRY_MS so it stays gone).
 */
export async function silenceOutboxListener(dataSource: DataSource): Promise<void> {
  await waitFor(async () => (await outboxListeners(dataSource)).length > 0, { what: 'the outbox listener' });
  await cutOutboxListeners(dataSource);
  await waitFor(async () => (await outboxListeners(dataSource)).length === 0, { what: 'the listener to be gone' });
}
