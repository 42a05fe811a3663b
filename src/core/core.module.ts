import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../../config/app-config';
import { databaseOptions } from '../../config/database';
import { OutboxModule } from '../outbox/outbox.module';
import { Clock } from './clock';
import { Transactions } from './database/transactions';
import { ROOT_LOGGER, createRootLogger, loggerOptions } from './logging';
import { redisConnection } from './redis';
import { SecretBox } from './secrets';

/**
 * What every process needs: configuration, logs, the database (and its retrying transactions), the queue
 * connection, the outbox and secrets at rest.
 */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    const rootLogger = createRootLogger(config);
    return {
      module: CoreModule,
      imports: [
        LoggerModule.forRoot(loggerOptions(rootLogger)),
        TypeOrmModule.forRoot({
          ...databaseOptions(config.DATABASE_URL, config.databasePoolSize),
          migrationsRun: false,
        }),
        BullModule.forRoot({ connection: redisConnection(config.REDIS_URL), prefix: config.QUEUE_PREFIX }),
        OutboxModule,
      ],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ROOT_LOGGER, useValue: rootLogger },
        Clock,
        SecretBox,
        Transactions,
      ],
      exports: [AppConfig, ROOT_LOGGER, Clock, SecretBox, Transactions],
    };
  }
}
