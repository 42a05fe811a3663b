import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../core/data-files';

/**
 * The top-level paths of the web app's pages (web/src/router.ts): the API answers them with
 * index.html and the app's router takes over. Anything else stays the API's (a 404 problem), so the
 * app never shadows an API, docs or dashboard path.
 */
export const WEB_APP_PAGES = [
  'inkorg',
  'overlamningar',
  'uppfoljning',
  'planer',
  'att-fordela',
  'leveranser',
  'samordningsforbund',
  'synkroniseringar',
  'aterrapportering',
  'anvandare',
  'granskning',
] as const;

/** Hashed file names change with their content, so a browser may keep them for a year. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/** The built app: `npm run build` bundles web/ into dist/web. */
export const webAppRoot = (): string => join(packageRoot(), 'dist', 'web');

/**
 * Serves the web app on the API's own origin (the session cookie and CSRF token work unchanged):
 * /assets/* with a long cache, index.html for the app's pages, never cached so a deploy shows at once.
 */
export async function mountWebApp(app: NestFastifyApplication, root = webAppRoot()): Promise<void> {
  const index = join(root, 'index.html');
  if (!existsSync(index)) {
    new Logger('WebApp').warn(`${index} is missing, so the API serves no web app: run npm run build`);
    return;
  }
  const html = readFileSync(index);
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    wildcard: false,
    index: false,
    preCompressed: true,
    cacheControl: false,
    setHeaders: (reply: FastifyReply) => void reply.header('cache-control', ASSET_CACHE),
  });
  const fastify = app.getHttpAdapter().getInstance();
  const page = (_request: unknown, reply: FastifyReply) =>
    reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  fastify.get('/', page);
  for (const path of WEB_APP_PAGES) {
    fastify.get(`/${path}`, page);
    fastify.get(`/${path}/*`, page);
  }
}
