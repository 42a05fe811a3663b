import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, symlinkSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/data-files';
import { uniqueName } from '../support/environment';
import { deleteQueueKeys } from '../support/test-app';

const BUILT_FROM = [
  'package.json',
  '.swcrc',
  'src',
  'config',
  'migrations',
  'scripts',
  'test/fakes',
  'test/support',
  'bench',
  'openapi.json',
  'web/package.json',
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'web/src',
];

/**
 * `npm run build` builds; every other script runs what was built and says so when it is missing or
 * older than the sources. In a scratch copy of the package, so this repository's dist/ (which
 * other test files run) is never touched.
 */
describe('build once, run the build', () => {
  let root: string;
  // The CLI's queues write their meta keys under this run's own prefix, removed at the end.
  const queuePrefix = uniqueName('kurbuild');
  const npm = (...args: string[]) => {
    const result = spawnSync('npm', ['run', '--silent', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, AUTH_JWT_SECRET: 'x'.repeat(32), QUEUE_PREFIX: queuePrefix },
      encoding: 'utf8',
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  };
  const token = () => npm('token', '--', '--role', 'ADMIN');
  const builtFile = () => join(root, 'dist', 'src', 'cli', 'token.js');

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'kur-build-'));
    for (const path of BUILT_FROM) cpSync(join(packageRoot(), path), join(root, path), { recursive: true });
    symlinkSync(join(packageRoot(), 'node_modules'), join(root, 'node_modules'));
    symlinkSync(join(packageRoot(), 'web', 'node_modules'), join(root, 'web', 'node_modules'));
  });
  afterAll(async () => {
    rmSync(root, { recursive: true, force: true });
    await deleteQueueKeys(queuePrefix);
  });

  it('refuses to run without a build, and builds nothing itself', () => {
    const { status, output } = token();
    expect(status).toBe(1);
    expect(output).toContain('dist/ is missing or was not built by `npm run build`. Run `npm run build` first.');
    expect(existsSync(join(root, 'dist'))).toBe(false);
  });

  it('runs the build as it is, without rebuilding it', () => {
    expect(npm('build').status).toBe(0);
    const before = statSync(builtFile());
    const { status, output } = token();
    expect(status).toBe(0);
    expect(output.trim().split('\n').pop()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(statSync(builtFile())).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  it('names the source that is newer than the build', () => {
    const later = new Date(); // after the build of the test before
    utimesSync(join(root, 'src', 'auth', 'principal.ts'), later, later);
    const { status, output } = token();
    expect(status).toBe(1);
    expect(output).toMatch(
      /dist\/ \(built .*\) is older than src\/auth\/principal\.ts \(changed .*\)\. Run `npm run build` first\./,
    );
  });

  it('builds first for the commands that may (the demo, the benchmark) when the build is stale', () => {
    const result = spawnSync(
      process.execPath,
      ['scripts/dist.cjs', 'run', '--build', 'src/cli/token.js', '--role', 'SERVICE'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, AUTH_JWT_SECRET: 'x'.repeat(32), QUEUE_PREFIX: queuePrefix },
        encoding: 'utf8',
      },
    );
    expect(result.stderr).toMatch(/is older than src\/auth\/principal\.ts .*; building it first\./);
    expect(result.stdout).toContain('SERVICE token');
    expect(token().status).toBe(0);
  });
});
