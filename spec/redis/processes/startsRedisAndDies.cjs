// A process for spec/redis/redisServer.spec.ts that starts a redis-server with the built package's
// startRedisServer, never closes it, and dies: it answers {"port": n} once the server is ready, and
// on a line on stdin dies as its argument says — "exit": process.exit(1); "throw": an uncaught
// error; "wait": not at all (the test kills it).
const { createInterface } = require('node:readline');
const { startRedisServer } = require('../../../dist/testing.cjs');

const how = process.argv[2];
startRedisServer().then((server) => {
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  createInterface({ input: process.stdin }).once('line', () => {
    if (how === 'exit') process.exit(1);
    if (how === 'throw') throw new Error('a test that crashed');
  });
});
