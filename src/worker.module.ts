import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AuditModule } from './audit/audit.module';
import { CoreModule } from './core/core.module';

/**
 * The worker process: queue consumers and schedules, no HTTP. Scales out on its own; BullMQ on
 * Redis spreads the jobs across instances.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: WorkerModule, imports: [CoreModule.forRoot(config), AuditModule] };
  }
}
