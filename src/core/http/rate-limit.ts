import fastifyRateLimit from '@fastify/rate-limit';
import { HttpStatus } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import { ProblemException, problemType } from './problem';

const SIGN_IN_PATH = /^\/auth\//;
const UNLIMITED_PATH = /^\/(health|metrics)(\/|$|\?)/;

/**
 * Per-client (address, after TRUST_PROXY) request limits with @fastify/rate-limit: a tight one on
 * the sign-in routes, a generous one on everything else but the probes and /metrics. Counters are
 * per process (in memory).
 */
export async function limitRates(app: NestFastifyApplication, config: AppConfig): Promise<void> {
  const signIn = (request: FastifyRequest) => SIGN_IN_PATH.test(request.url);
  await app.register(fastifyRateLimit, {
    global: true,
    timeWindow: 60_000,
    max: (request) => (signIn(request) ? config.RATE_LIMIT_SIGN_IN_PER_MINUTE : config.RATE_LIMIT_API_PER_MINUTE),
    keyGenerator: (request) => `${signIn(request) ? 'sign-in' : 'api'}:${request.ip}`,
    allowList: (request) =>
      UNLIMITED_PATH.test(request.url) || (!signIn(request) && config.RATE_LIMIT_API_PER_MINUTE === 0),
    errorResponseBuilder: (_request, context) =>
      new ProblemException({
        type: problemType('rate-limited'),
        title: 'Too Many Requests',
        status: HttpStatus.TOO_MANY_REQUESTS,
        detail: `Too many requests from this client: at most ${context.max} a minute; try again in ${context.after}`,
      }),
  });
}
