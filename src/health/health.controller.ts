import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { PublicEndpoint } from '../auth/endpoint';
import { QueueHealthIndicator } from './queue.health';
import { RedisHealthIndicator } from './redis.health';

/** Check name -> `{status: 'up' | 'down', …}`. */
const CHECKS = { type: 'object', additionalProperties: true, example: { postgres: { status: 'up' } } } as const;

/** Terminus' report: each dependency (and queue, with its backlog) by name. */
export class HealthView {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: string;

  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that passed' })
  info?: Record<string, unknown>;

  @ApiPropertyOptional({ ...CHECKS, description: 'The checks that failed' })
  error?: Record<string, unknown>;

  @ApiProperty({ ...CHECKS, description: 'Every check' })
  details: Record<string, unknown>;
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly queues: QueueHealthIndicator,
  ) {}

  @Get('live')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @PublicEndpoint({ summary: 'The process is up', responses: { status: 200, type: HealthView } })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @PublicEndpoint({
    summary: 'The process can serve',
    description: 'PostgreSQL, Redis and every queue answer (with each queue’s backlog); 503 when one does not.',
    responses: { status: 200, type: HealthView },
    errors: [503],
  })
  ready() {
    return this.health.check([
      () => this.database.pingCheck('postgres', { timeout: 2000 }),
      () => this.redis.isHealthy('redis'),
      ...this.queues.checks(),
    ]);
  }
}
