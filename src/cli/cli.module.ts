import { DynamicModule, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { INestApplicationContext } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { AuditModule } from '../audit/audit.module';
import { CoreModule } from '../core/core.module';
import { Kur2ImportModule } from '../kur2-import/kur2-import.module';
import { MetricsModule } from '../metrics/metrics.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { SyncRunnerModule } from '../sync/sync-runner.module';

/** What the command-line loaders need: no HTTP, no workers. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        CoreModule.forRoot(config),
        AuditModule,
        MetricsModule,
        MunicipalitiesModule,
        Kur2ImportModule,
        SyncRunnerModule,
      ],
    };
  }
}

export function createCliContext(config: AppConfig): Promise<INestApplicationContext> {
  return NestFactory.createApplicationContext(CliModule.forRoot(config), { logger: ['error', 'warn'] });
}
