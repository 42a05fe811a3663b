import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { subset } from 'semver';
import { packageRoot } from '../../src/core/data-files';

const ROOT = packageRoot();
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
const dependencies = Object.keys(manifest.dependencies);
const devDependencies = Object.keys(manifest.devDependencies);

/** What the running service loads: `npm prune --omit=dev` must keep all of it. */
const runtimeImports = importsIn(['src', 'config', 'migrations']);
const developmentImports = importsIn(['scripts', 'bench', 'test']);

/** Development tools that are run rather than imported, and why each is here. */
const TOOLS: Record<string, string> = {
  '@swc/cli': 'compiles the build (scripts/dist.cjs)',
  '@swc/core': 'the compiler @swc/cli and @swc/jest drive',
  '@swc/jest': 'compiles the tests (jest.config.js)',
  jest: 'runs the tests',
  prettier: 'npm run format',
  typescript: 'npm run typecheck',
  '@redocly/cli': 'lints openapi.json in npm test (npm run lint:openapi)',
  'openapi-typescript': 'generates the typed client from openapi.json (npm run openapi:client)',
  eslint: 'npm run lint',
  '@eslint/js': 'ESLint rules (eslint.config.mjs)',
  'typescript-eslint': 'typed lint rules (eslint.config.mjs)',
  'eslint-plugin-boundaries': 'the module boundary table (eslint.config.mjs)',
  globals: "Node's globals for linting the .cjs and .mjs files (eslint.config.mjs)",
};

/**
 * Dependencies whose declared Node.js range is narrower than ours, each with the reason it runs on
 * every version we declare (README, "Node.js versions").
 */
const ENGINE_EXCEPTIONS: Record<string, string> = {
  'content-disposition':
    'ESM-only (3.x, required by @fastify/static); Node 20.19+ and 22.12+ require() ES modules natively, and the tests run on 20',
};

describe('package.json', () => {
  it('declares in dependencies every package the service imports', () => {
    const undeclared = [...runtimeImports].filter(([name]) => !dependencies.includes(name));
    expect(Object.fromEntries(undeclared)).toEqual({});
  });

  it('declares every package the scripts, benchmarks and tests import', () => {
    const undeclared = [...developmentImports].filter(
      ([name]) => !dependencies.includes(name) && !devDependencies.includes(name),
    );
    expect(Object.fromEntries(undeclared)).toEqual({});
  });

  it('declares nothing the code does not use', () => {
    const peers = new Set(dependencies.flatMap((name) => Object.keys(locked(name).peerDependencies ?? {})));
    const unusedDependencies = dependencies.filter((name) => !runtimeImports.has(name) && !peers.has(name));
    const unusedDevDependencies = devDependencies.filter(
      (name) =>
        !runtimeImports.has(name) && !developmentImports.has(name) && !(name in TOOLS) && !typesOfDeclared(name),
    );
    expect({ unusedDependencies, unusedDevDependencies }).toEqual({
      unusedDependencies: [],
      unusedDevDependencies: [],
    });
  });

  it('promises only Node.js versions every installed package supports', () => {
    const narrower = Object.entries(lock.packages as Record<string, LockedPackage>)
      .filter(([path, entry]) => path && entry.engines?.node && !entry.optional)
      .filter(([path]) => !(packageName(path) in ENGINE_EXCEPTIONS))
      .filter(([, entry]) => !subset(manifest.engines.node, entry.engines?.node as string))
      .map(([path, entry]) => `${packageName(path)}@${entry.version} wants node ${entry.engines?.node}`);
    expect(narrower).toEqual([]);
  });
});

interface LockedPackage {
  version: string;
  optional?: boolean;
  engines?: { node?: string };
  peerDependencies?: Record<string, string>;
}

function locked(name: string): LockedPackage {
  return lock.packages[`node_modules/${name}`];
}

function packageName(lockPath: string): string {
  return lockPath.slice(lockPath.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** `@types/x` types a declared package x (or Node.js and jest themselves). */
function typesOfDeclared(name: string): boolean {
  const typed = name.startsWith('@types/') ? name.slice('@types/'.length) : undefined;
  return typed !== undefined && ['node', 'jest', ...dependencies, ...devDependencies].includes(typed);
}

/** Package name -> the first file importing it, over the TypeScript and CommonJS files under `dirs`. */
function importsIn(dirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  // from …, a bare import line, require(…) and import(…).
  const specifier = /(?:\bfrom\s+|^\s*import\s+|\b(?:require|import)\(\s*)['"]([^'"\s]+)['"]/gm;
  for (const file of dirs.flatMap((dir) => filesUnder(join(ROOT, dir)))) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(specifier)) {
      if (spec.startsWith('.') || isBuiltin(spec)) continue;
      const name = spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
      if (!found.has(name)) found.set(name, file.slice(ROOT.length + 1));
    }
  }
  return found;
}

function filesUnder(path: string): string[] {
  if (statSync(path).isDirectory()) return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
  return /\.(ts|cjs)$/.test(path) ? [path] : [];
}
