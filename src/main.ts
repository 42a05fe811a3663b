import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { createHttpApp } from './http-app';
import { runEntryPoint } from './core/entry-point';
import { tuneGarbageCollector } from './core/garbage-collection';
import { stopOnTermination } from './core/shutdown';

/** The API process; SIGTERM or SIGINT stop it gracefully. */
runEntryPoint(async () => {
  tuneGarbageCollector();
  const config = loadConfig();
  const app = await createHttpApp(config);
  stopOnTermination(app);
  await app.listen({ port: config.PORT, host: config.HOST });
});
