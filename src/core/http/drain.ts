import { Logger } from '@nestjs/common';
import { FastifyInstance } from 'fastify';

/**
 * Stopping the API waits for the responses still being sent, but not without end: Node's
 * server.close() waits for every open connection, and a client that stops reading a streamed file
 * (an asset, a download) never lets its connection end. After `drainMs` the rest are closed.
 */
export function limitDrain(fastify: FastifyInstance, drainMs: number): void {
  fastify.addHook('preClose', (done) => {
    const server = fastify.server;
    const timer = setTimeout(() => {
      server.getConnections((_error, count) => {
        new Logger('Http').warn(`${count} connection(s) still open ${drainMs} ms after the stop began: closing them`);
        server.closeAllConnections();
      });
    }, drainMs);
    // The stop must not wait for the timer when every connection ends first.
    timer.unref();
    server.once('close', () => clearTimeout(timer));
    done();
  });
}
