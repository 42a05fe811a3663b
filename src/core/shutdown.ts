import { INestApplicationContext, Logger } from '@nestjs/common';

/**
 * For the processes' entry points (main.ts, worker.ts): only SIGTERM and SIGINT stop the process,
 * gracefully. Nest's default list also holds SIGUSR2, which tools send for their own reasons
 * (nodemon, log rotation); as its default action would kill the process on the spot, it is logged
 * and ignored.
 */
export function stopOnTermination(app: INestApplicationContext): void {
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  process.on('SIGUSR2', () => new Logger('Process').warn('SIGUSR2 ignored: stop the service with SIGTERM or SIGINT'));
}
