// Each test file gets its own database (cloned from a migrated template) and its own BullMQ
// prefix, so files run in parallel on the real PostgreSQL and Redis.
const swcrc = JSON.parse(require('fs').readFileSync(`${__dirname}/.swcrc`, 'utf8'));
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testRegex: '\\.spec\\.ts$',
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { ...swcrc, swcrc: false }] },
  // Bull Board's static-file plugin and openid-client pull ESM-only packages; Node requires it natively, jest needs it compiled.
  transformIgnorePatterns: ['/node_modules/(?!(.*/)?(content-disposition|openid-client|oauth4webapi|jose)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 60000,
  maxWorkers: 2,
  // On Node 20 each test file's vm context stays reachable after the file, so a worker's heap grew
  // by 15–20 MB a file (to 700 MB) and it then took longer than jest's 500 ms to exit ("a worker
  // process has failed to exit gracefully"). A worker past 300 MB after a file is replaced.
  workerIdleMemoryLimit: '300MB',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};
