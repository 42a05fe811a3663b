// The build, and the one way the npm scripts start built code.
//   node scripts/dist.cjs build                       compile the sources into dist/ and stamp it
//   node scripts/dist.cjs run [--build] FILE [ARGS]   run dist/FILE; refuse (or with --build, build
//                                                     first) when dist/ is missing or older than a source
// Plain CommonJS outside dist/, so it works before anything is built and without devDependencies.
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, 'build-stamp.json');
/** What `build` compiles; a change to any of them makes dist/ stale. */
const SOURCES = ['src', 'config', 'migrations', 'scripts', 'test/fakes', 'test/support', 'bench', 'web/src', 'web/index.html', 'openapi.json'];
const WEB = join(ROOT, 'web');
/** Written by the build itself from openapi.json (a source): it never makes dist/ stale. */
const GENERATED = join(WEB, 'src', 'api', 'generated.ts');

function build() {
  const startedAt = Date.now(); // a source saved during the build counts as newer than the build
  const swc = join(ROOT, 'node_modules', '@swc', 'cli', 'bin', 'swc.js');
  if (!existsSync(swc)) {
    fail(
      'Building needs the devDependencies (npm ci); a production install runs the dist/ built before `npm prune --omit=dev`.',
    );
  }
  // Built aside and swapped in, so processes started from dist/ meanwhile (another npm test) find it whole.
  const next = join('.tmp', `dist-${process.pid}`);
  const result = spawnSync(process.execPath, [swc, ...SOURCES, '-d', next, '--copy-files', '--quiet'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  buildWebApp(join(ROOT, next, 'web'));
  writeFileSync(
    join(ROOT, next, 'build-stamp.json'),
    `${JSON.stringify({ builtAt: new Date(startedAt).toISOString() })}\n`,
  );
  const old = join(ROOT, '.tmp', `dist-old-${process.pid}`);
  if (existsSync(DIST)) renameSync(DIST, old);
  renameSync(join(ROOT, next), DIST);
  rmSync(old, { recursive: true, force: true });
}

/** The web app (web/), typed against the committed openapi.json, bundled by Vite into `outDir`. */
function buildWebApp(outDir) {
  const bin = (name, script) => join(WEB, 'node_modules', name, script);
  if (!existsSync(bin('vite', 'bin/vite.js'))) fail('web/node_modules is missing: run `npm ci` at the root (its postinstall installs web/).');
  const steps = [
    [bin('openapi-typescript', 'bin/cli.js'), '../openapi.json', '--output', 'src/api/generated.ts', '--silent'],
    [bin('vite', 'bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
  ];
  for (const step of steps) {
    const result = spawnSync(process.execPath, step, { cwd: WEB, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  compressAssets(join(outDir, 'assets'));
}

/** A .gz beside each script and style sheet: the API sends it as is to browsers that accept gzip. */
function compressAssets(dir) {
  const { gzipSync } = require('node:zlib');
  for (const name of readdirSync(dir).filter((file) => /\.(js|css|svg)$/.test(file))) {
    writeFileSync(join(dir, `${name}.gz`), gzipSync(readFileSync(join(dir, name)), { level: 9 }));
  }
}

/** Why dist/ cannot be run as it is, or null when it can. */
function problemWithDist() {
  if (!existsSync(STAMP)) return 'dist/ is missing or was not built by `npm run build`';
  const builtAt = Date.parse(JSON.parse(readFileSync(STAMP, 'utf8')).builtAt);
  const newer = newestSource();
  if (newer && newer.mtimeMs > builtAt) {
    return `dist/ (built ${new Date(builtAt).toISOString()}) is older than ${relative(ROOT, newer.path)} (changed ${newer.mtime.toISOString()})`;
  }
  return null;
}

/** The most recently changed source file; none in an install that ships only dist/. */
function newestSource() {
  let newest = null;
  const visit = (path) => {
    const stat = statSync(path);
    if (stat.isDirectory()) return readdirSync(path).forEach((name) => visit(join(path, name)));
    if (path === GENERATED) return;
    if (!newest || stat.mtimeMs > newest.mtimeMs) newest = { path, mtimeMs: stat.mtimeMs, mtime: stat.mtime };
  };
  for (const dir of SOURCES) if (existsSync(join(ROOT, dir))) visit(join(ROOT, dir));
  return newest;
}

function run(args) {
  const buildIfNeeded = args[0] === '--build';
  const [file, ...rest] = buildIfNeeded ? args.slice(1) : args;
  if (!file) fail('usage: node scripts/dist.cjs run [--build] FILE [ARGS...]');
  const problem = problemWithDist();
  if (problem && buildIfNeeded) {
    console.error(`${problem}; building it first.`);
    build();
  } else if (problem) {
    fail(`${problem}. Run \`npm run build\` first.`);
  }
  // The built file runs in this process, as if started with `node dist/FILE ARGS`.
  const script = join(DIST, file);
  process.argv = [process.argv[0], script, ...rest];
  require(script);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

const [command, ...args] = process.argv.slice(2);
if (command === 'build') build();
else if (command === 'run') run(args);
else fail('usage: node scripts/dist.cjs build | run [--build] FILE [ARGS...]');
