import 'reflect-metadata';
import { loadConfig } from '../config/app-config';
import { createHttpApp } from './http-app';
import { runEntryPoint } from './core/entry-point';

/** The API process. */
runEntryPoint(async () => {
  const config = loadConfig();
  const app = await createHttpApp(config);
  await app.listen({ port: config.PORT, host: config.HOST });
});
