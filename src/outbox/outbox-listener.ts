import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import { AppConfig } from '../../config/app-config';
import { OutboxRelay } from './outbox-relay';

/** The channel the outbox trigger (migration OutboxNotify) notifies when messages commit. */
const CHANNEL = 'outbox_message';

/**
 * Wakes the relay as soon as an outbox message commits, on its own LISTEN connection. Polling
 * stays the fallback: while this connection is down the relay still runs every OUTBOX_POLL_MS,
 * and the listener connects again after OUTBOX_LISTEN_RETRY_MS.
 */
@Injectable()
export class OutboxListener implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxListener.name);
  private client?: Client;
  private retry?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly config: AppConfig,
    private readonly relay: OutboxRelay,
  ) {}

  onApplicationBootstrap(): void {
    void this.listen();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, application_name: 'kur-outbox-listener' });
    this.client = client;
    client.on('notification', () => this.relay.wake());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      // Messages committed while nobody listened would otherwise wait for the next poll.
      this.relay.wake();
    } catch (error) {
      this.lost(client, error);
    }
  }

  private lost(client: Client, error?: unknown): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ err: error }, 'Outbox listener lost its connection; the relay polls until it is back');
    void client.end().catch(() => undefined);
    this.retry = setTimeout(() => void this.listen(), this.config.OUTBOX_LISTEN_RETRY_MS);
  }
}
