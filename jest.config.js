const SLOW_SUITES = require('./tests/support/slow-suites.js');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // The console's alias for the process rules (admin-ui/vite.config.ts).
  moduleNameMapper: { '^@process$': '<rootDir>/domain/process/index.ts' },
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // The kill -9 fault suite (minutes of real processes) runs on its own: `npm run test:faults`; its
  // soak only with JLT_SOAK_MINUTES (`npm run test:soak`).
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.JLT_FAULTS === '1' ? [] : ['/tests/faults/']),
    ...(process.env.JLT_SOAK_MINUTES ? [] : ['/tests/faults/soak']),
    // The scale-out suite on Temporal's production server (built on first use): `npm run test:cluster`.
    ...(process.env.JLT_CLUSTER === '1' ? [] : ['/tests/cluster/']),
    // The slowest suites (tests/support/slow-suites.js) keep `npm test` under its time budget; `npm run
    // test:slow` runs them (before resolving).
    ...(process.env.JLT_SLOW === '1' ? [] : SLOW_SUITES),
  ],
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // openid-client v6 and its dependencies ship only ES modules: compiled to CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(openid-client|oauth4webapi|jose)/)'],
  globalSetup: '<rootDir>/tests/support/global-setup.ts',
  globalTeardown: '<rootDir>/tests/support/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};
