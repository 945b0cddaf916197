const { existsSync } = require('node:fs');
const { availableParallelism } = require('node:os');
const { resolve } = require('node:path');

const fixtures = process.env.RXLLM_FIXTURES ? resolve(process.env.RXLLM_FIXTURES) : resolve(__dirname, '../shared/fixtures');
const haveFixtures = existsSync(resolve(fixtures, 'SOURCES.md'));
if (!haveFixtures) {
  console.log(`conformance: no recorded fixtures at ${fixtures} (set RXLLM_FIXTURES); the conformance suite does not run`);
}

// The browser suite drives Debian's Chromium (.ci/run installs it); a clone without one skips it.
const chromium = process.env.RXLLM_CHROMIUM ? resolve(process.env.RXLLM_CHROMIUM) : '/usr/bin/chromium';
const haveChromium = existsSync(chromium);
if (!haveChromium) {
  console.log(`browser: no Chromium at ${chromium} (apt-get install chromium, or set RXLLM_CHROMIUM); the browser suite does not run`);
}

// The Redis suite (spec/redis) starts Debian's redis-server (.ci/run installs it); a clone without one skips it.
const redisServer = process.env.RXLLM_REDIS_SERVER ? resolve(process.env.RXLLM_REDIS_SERVER) : '/usr/bin/redis-server';
const haveRedis = existsSync(redisServer);
if (!haveRedis) {
  console.log(`redis: no redis-server at ${redisServer} (apt-get install redis-server, or set RXLLM_REDIS_SERVER); the Redis suite does not run`);
}

/** @type {import('jest').Config} */
module.exports = {
  // jest's node environment without a contextified global (scripts/jestEnvironment.js)
  testEnvironment: '<rootDir>/scripts/jestEnvironment.js',
  roots: ['<rootDir>/spec'],
  testMatch: ['**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...(haveFixtures ? [] : ['/spec/conformance/']), ...(haveChromium ? [] : ['/spec/browser/']), ...(haveRedis ? [] : ['/spec/redis/'])],
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jestTransform.js',
  },
  // every source compiled once, before the workers start (scripts/jestTransform.js says why)
  globalSetup: '<rootDir>/scripts/jestPrecompile.js',
  testTimeout: 60000,
  // one worker more than there are cores (jest's default is one fewer: a single worker on 2 cores):
  // the suites that wait on child processes, Redis or Chromium leave their core to the next
  // worker's trials (on 2 cores: 3 workers 3 min 50, 2 workers 4 min 05, 4 workers 4 min 07); the
  // suites that mostly wait on sockets run their trials side by side in the worker (spec/support/lanes.ts)
  maxWorkers: availableParallelism() + 1,
  // the long suites first, so that none is left running alone at the end (scripts/jestSequencer.js)
  testSequencer: '<rootDir>/scripts/jestSequencer.js',
};
