const { existsSync } = require('node:fs');
const { resolve } = require('node:path');

const fixtures = process.env.RXLLM_FIXTURES ? resolve(process.env.RXLLM_FIXTURES) : resolve(__dirname, '../shared/fixtures');
const haveFixtures = existsSync(resolve(fixtures, 'SOURCES.md'));
if (!haveFixtures) {
  console.log(`conformance: no recorded fixtures at ${fixtures} (set RXLLM_FIXTURES); the conformance suite does not run`);
}

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(haveFixtures ? [] : ['/spec/conformance/'])],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', moduleResolution: 'node10', isolatedModules: true } }],
  },
  testTimeout: 60000,
};
