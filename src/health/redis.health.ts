import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import Redis from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { redisConnection } from '../core/redis';

@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly client: Redis;

  constructor(
    config: AppConfig,
    private readonly health: HealthIndicatorService,
  ) {
    // Fail fast: a readiness probe must answer even when Redis is gone.
    this.client = new Redis({
      ...redisConnection(config.REDIS_URL),
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      connectTimeout: 2000,
      enableOfflineQueue: false,
      // A probe has nothing to flush. And when it closes while reconnecting, ioredis waits this long
      // for the close of a socket that has already closed, holding shutdown (default 2 s).
      disconnectTimeout: 0,
    });
    this.client.on('error', () => undefined);
  }

  async isHealthy(key: string) {
    const indicator = this.health.check(key);
    try {
      if (this.client.status === 'wait' || this.client.status === 'end') await this.client.connect();
      await this.client.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  onModuleDestroy(): void {
    this.client.disconnect();
  }
}
