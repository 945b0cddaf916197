// A serving instance for spec/redis/resumeAcrossProcesses.spec.ts: GET /streams/<id> re-streams a
// stored chat as server-sent events from Redis, starting after the browser's Last-Event-ID.
// Answers {"port": <n>} on stdout once it listens.
const { createServer } = require('node:http');
const { Redis } = require('ioredis');
const { pipeToResponse } = require('../../../dist/index.cjs');
const { resumeStream$ } = require('../../../dist/redis.cjs');

const redis = new Redis(process.env.REDIS_URL);

const server = createServer((req, res) => {
  const match = /^\/streams\/([^/?]+)$/.exec(req.url ?? '');
  if (!match) return void res.writeHead(404).end();
  const lastEventId = req.headers['last-event-id'];
  const fromSeq = lastEventId === undefined ? -1 : Number(lastEventId);
  resumeStream$(redis, decodeURIComponent(match[1]), { fromSeq, blockMs: 500 }).pipe(pipeToResponse(res)).subscribe();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  redis.quit().finally(() => process.exit(0));
});
