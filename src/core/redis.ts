import { RedisOptions } from 'ioredis';
import { cappedBackoff } from './infrastructure';

/**
 * ioredis options for BullMQ: workers must block forever on Redis, so no per-request retry limit;
 * and reconnects back off to a few seconds at most (BullMQ's own default grows to 20 s, which left
 * workers idle long after Redis was back).
 */
export function redisConnection(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username || undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    maxRetriesPerRequest: null,
    retryStrategy: cappedBackoff,
  };
}
