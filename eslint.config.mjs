import { readdirSync, readFileSync } from 'node:fs';
import eslint from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which feature module (src/<module>/) may import which. Every module may import core/ and config/;
 * the top-level entry points (src/*.ts) and cli/ put the modules together and may import any of them.
 * A table is read and written only through the module that owns it, so besides this table:
 * - another module's entity file (*.entity.ts) may be imported as a type only (`import type`), so
 *   only the owner can build a repository or a query on it; an entity may import any entity, for the
 *   relations that mirror the schema's foreign keys;
 * - SQL text may name only the module's own tables (the table names are read from the entities).
 */
const MODULE_DEPENDENCIES = {
  activities: ['areas', 'audit', 'auth'],
  areas: ['associations', 'audit', 'auth', 'municipalities'],
  associations: ['audit', 'auth', 'municipalities', 'outbox', 'queue'],
  audit: ['auth'],
  auth: ['people'], // a session cookie is a person's: the guard asks the people module who it is
  core: ['outbox'], // CoreModule makes the outbox global, so every module can write to it in its transaction
  'follow-ups': ['audit', 'auth', 'outbox', 'plans', 'queue'],
  handovers: [
    'activities',
    'areas',
    'associations',
    'audit',
    'auth',
    'follow-ups',
    'metrics',
    'municipalities',
    'outbox',
    'plans',
    'prio',
    'queue',
    'readiness',
    'resolutions',
  ],
  health: ['auth', 'queue'],
  metrics: ['outbox', 'queue', 'resolutions'],
  'kur2-import': ['activities', 'areas'],
  municipalities: ['auth'],
  notifications: ['areas', 'associations', 'follow-ups', 'handovers', 'queue'],
  outbox: ['queue'],
  plans: ['activities', 'areas', 'audit', 'auth', 'municipalities', 'outbox', 'queue'],
  prio: ['municipalities'],
  queue: ['auth', 'metrics', 'people'],
  people: ['areas', 'associations', 'audit', 'auth'],
  'sign-in': ['audit', 'auth', 'people'],
  readiness: ['activities', 'areas', 'associations', 'auth', 'municipalities', 'plans'],
  reports: [
    'activities',
    'areas',
    'associations',
    'audit',
    'auth',
    'follow-ups',
    'handovers',
    'municipalities',
    'prio',
    'readiness',
    'resolutions',
  ],
  resolutions: ['areas', 'associations', 'audit', 'auth', 'municipalities', 'outbox', 'queue'],
  sync: [
    'associations',
    'audit',
    'auth',
    'follow-ups',
    'handovers',
    'metrics',
    'municipalities',
    'outbox',
    'prio',
    'queue',
  ],
  'web-app': [],
};
const COMPOSERS = ['cli'];

/** Every folder of src/: a module (or a composer). */
const MODULES = readdirSync(new URL('src/', import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/** Each table's owning module, from the @Entity('table') decorators in src/<module>/*.entity.ts. */
function tablesByModule() {
  const tables = {};
  for (const module of MODULES) {
    const files = readdirSync(new URL(`src/${module}/`, import.meta.url)).filter((f) => f.endsWith('.entity.ts'));
    tables[module] = files.flatMap((file) =>
      [...readFileSync(new URL(`src/${module}/${file}`, import.meta.url), 'utf8').matchAll(/@Entity\('(\w+)'\)/g)].map(
        (match) => match[1],
      ),
    );
  }
  return tables;
}

/** no-restricted-syntax selectors for SQL text (strings and template parts) that names another module's table. */
function foreignTableSql(module, tables) {
  const foreign = Object.entries(tables)
    .filter(([owner]) => owner !== module)
    .flatMap(([, names]) => names);
  const pattern = `/\\b(FROM|JOIN|UPDATE|INTO|TABLE)\\s+(${foreign.join('|')})\\b/i`;
  const message = `src/${module}/ may name only its own tables in SQL; ask the owning module's service instead`;
  return [
    { selector: `Literal[value=${pattern}]`, message },
    { selector: `TemplateElement[value.raw=${pattern}]`, message },
  ];
}

const module = (name, element = {}) => ({ element: { type: 'module', captured: { name }, ...element } });
const entities = { fileInternalPath: '*.entity.ts' };

const boundaryPolicies = [
  // Entry points and composers (src/*.ts, cli/) put the modules together; config/ lists every entity and
  // migration for the data source; tools (test/, scripts/, bench/, migrations/) use them from outside.
  {
    from: [{ element: { type: ['app', 'config', 'tool'] } }, module(COMPOSERS)],
    allow: { to: { element: { type: '*' } } },
  },
  { from: { element: { type: '*' } }, allow: { to: [module('core'), { element: { type: 'config' } }] } },
  ...Object.entries(MODULE_DEPENDENCIES)
    .filter(([, allowed]) => allowed.length > 0)
    .map(([name, allowed]) => ({ from: module(name), allow: { to: module(allowed) } })),
  // Later policies win: only the owner (and the composers and tools above) may use an entity as a value.
  {
    from: module('*'),
    disallow: { to: module('*', entities), dependency: { kind: 'value' } },
    message: "Import another module's entity as a type only (`import type`); its service reads and writes its table",
  },
  { from: module('*', entities), allow: { to: module('*', entities) } },
];

const tables = tablesByModule();

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.tmp/', 'test/contract/generated/', 'web/'] },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { boundaries },
    settings: {
      'import/resolver': { node: { extensions: ['.ts', '.js', '.json'] } },
      'boundaries/elements': [
        { type: 'module', pattern: 'src/*', capture: ['name'], partialMatch: false },
        { type: 'app', pattern: 'src', partialMatch: false },
        { type: 'config', pattern: 'config', partialMatch: false },
        { type: 'tool', pattern: ['test', 'scripts', 'bench', 'migrations'], partialMatch: false },
      ],
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: boundaryPolicies }],
      // `_name` marks what a destructuring leaves out on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
    },
  },
  ...MODULES.map((name) => ({
    files: [`src/${name}/**/*.ts`],
    rules: { 'no-restricted-syntax': ['error', ...foreignTableSql(name, tables)] },
  })),
  {
    // Tests, the demo and the benchmarks are HTTP clients of the API: they read JSON response bodies, typed `any` on
    // purpose (ApiResponse and DemoClient default to it), and check their shape with expect or by using
    // them. Typing every body would restate the API's types here; a generated client can do it later.
    // They also read raw rows with dataSource.query (`any`) to check what the service stored.
    files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    extends: [eslint.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  { files: ['**/*.mjs'], extends: [eslint.configs.recommended], languageOptions: { globals: globals.node } },
);
