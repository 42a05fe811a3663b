import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { RegistryRecord } from '../../src/associations/registry-record';
import { packageRoot } from '../../src/core/data-files';
import { stopProcess } from './processes';
import { waitFor } from './wait';

/** Debian's Chromium (apt-get install chromium); Playwright never downloads a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface RunningProvider {
  url: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

/** The development identity provider in a process of its own, with extra chiefs beside the reference accounts. */
export async function startProviderProcess(extraChiefs: RegistryRecord[] = []): Promise<RunningProvider> {
  const script = join(packageRoot(), 'dist', 'test', 'fakes', 'identity-provider-process.js');
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build (npm test does)`);
  const child = spawn(process.execPath, ['--no-warnings', script], {
    env: { PATH: process.env.PATH, IDP_EXTRA_CHIEFS: JSON.stringify(extraChiefs) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  process.on('exit', () => child.kill('SIGKILL'));
  const line = await waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`the identity provider exited: ${output}`);
      return output.split('\n').find((text) => text.startsWith('{"url"'));
    },
    { what: 'the identity provider to start', timeoutMs: 30_000, intervalMs: 50 },
  );
  return { ...JSON.parse(line), close: () => stopProcess(child, 'SIGTERM') };
}

/** The configuration that connects the service on `port` to the provider. */
export function signInSettings(provider: RunningProvider, port: number): Record<string, string> {
  const url = `http://127.0.0.1:${port}`;
  return {
    OIDC_ISSUER_URL: provider.url,
    OIDC_CLIENT_ID: provider.clientId,
    OIDC_CLIENT_SECRET: provider.clientSecret,
    OIDC_REDIRECT_URL: `${url}/auth/callback`,
    PUBLIC_URL: url,
  };
}

/**
 * Debian's Chromium, headless. Playwright starts it with a fresh temporary user-data-dir (removed at
 * close); each person then gets a context of their own (cookies and storage not shared).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}

/** Signs in at the development provider's form; the page ends where returnTo led. */
export async function signInWithBrowser(
  context: BrowserContext,
  serviceUrl: string,
  email: string,
  password: string,
  returnTo = '/api/v1/me',
): Promise<Page> {
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(`${serviceUrl}/auth/login?returnTo=${encodeURIComponent(returnTo)}`);
  // Already signed in at the provider, it sends the browser straight back; otherwise it asks.
  const target = `${serviceUrl}${returnTo}`;
  await Promise.race([page.waitForURL(target), page.waitForSelector('input[name=email]')]);
  if (page.url() === target) return page;
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await Promise.all([page.waitForURL(target), page.click('button[type=submit]')]);
  return page;
}

/** The session cookie the browser holds for the service. */
export async function sessionCookie(context: BrowserContext, serviceUrl: string): Promise<string | undefined> {
  const cookies = await context.cookies(serviceUrl);
  const session = cookies.find((cookie) => /kur-session$/.test(cookie.name));
  return session && `${session.name}=${session.value}`;
}
