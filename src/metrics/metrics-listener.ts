import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { MetricsService } from './metrics.service';

/**
 * A worker's own /metrics listener: the worker has no HTTP otherwise. It is unauthenticated, so
 * it binds to METRICS_HOST (a private address by default).
 */
@Injectable()
export class MetricsListener implements BeforeApplicationShutdown {
  private server?: Server;

  constructor(private readonly metrics: MetricsService) {}

  /** Starts listening; returns the URL to scrape. */
  async listen(port: number, host: string): Promise<string> {
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: try /metrics\n');
        return;
      }
      this.metrics.scrape().then(
        ({ contentType, body }) => response.writeHead(200, { 'content-type': contentType }).end(body),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      );
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
    this.server = server;
    const address = server.address() as AddressInfo;
    const hostPart = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${hostPart}:${address.port}/metrics`;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}
