import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig } from '../config/app-config';
import { runEntryPoint } from './core/entry-point';
import { tuneGarbageCollector } from './core/garbage-collection';
import { stopOnTermination } from './core/shutdown';
import { MetricsListener } from './metrics/metrics-listener';
import { WorkerModule } from './worker.module';

/** The worker process: an application context without HTTP that closes its workers on SIGTERM. */
runEntryPoint(async () => {
  tuneGarbageCollector();
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  stopOnTermination(app);
  await app.init();
  const metricsUrl = await app.get(MetricsListener).listen(config.METRICS_PORT, config.METRICS_HOST);
  app.get(Logger).log({ metricsUrl }, 'Worker started');
});
