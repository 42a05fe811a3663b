import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { problemType } from '../core/http/problem';
import { sendProblem } from '../core/http/problem.filter';
import { MetricsService } from './metrics.service';

/**
 * The API's side of the metrics: every response is timed by its route template (never the raw
 * URL, whose ids would make the label set unbounded), and GET /metrics answers a scraper that
 * sends METRICS_TOKEN. Without a token configured the API serves no metrics. Outside the OpenAPI
 * document on purpose: it is for operators, not integrators.
 */
export function mountMetrics(app: NestFastifyApplication): void {
  const metrics = app.get(MetricsService);
  const token = app.get(AppConfig).METRICS_TOKEN;
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
  if (!token) return;
  fastify.get('/metrics', async (request, reply) => {
    if (!sameSecret(/^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1], token)) {
      sendProblem(
        reply,
        {
          type: problemType('unauthorised'),
          title: 'Unauthorized',
          status: 401,
          detail: 'Metrics need the bearer token configured as METRICS_TOKEN',
        },
        request,
      );
      return reply;
    }
    const { contentType, body } = await metrics.scrape();
    return reply.type(contentType).send(body);
  });
}

/** Compares in constant time (digests have equal length whatever was sent). */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}
