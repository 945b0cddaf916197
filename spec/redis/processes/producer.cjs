// A producing instance for spec/redis/resumeAcrossProcesses.spec.ts: streams chats from the mock
// server and persists them to Redis. Commands arrive as JSON lines on stdin:
//   {"start": "<streamId>", "prompt": "...", "sentences": 4, "chunkDelayMs": 3}
// It answers {"ready": true} once, and {"done": "<id>", "status": "completed" | "error"} per chat.
// SIGTERM cancels the running chats (leaving cancelled end markers) and exits once Redis has them.
const { createInterface } = require('node:readline');
const { Redis } = require('ioredis');
const { streamChat$ } = require('../../../dist/index.cjs');
const { persistStream } = require('../../../dist/redis.cjs');

const redis = new Redis(process.env.REDIS_URL);
const running = new Map();
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (!command.start) return;
  const id = command.start;
  const subscription = streamChat$('openai', [{ role: 'user', content: command.prompt }], {
    baseURL: `${process.env.MOCK_URL}/v1`,
    apiKey: 'sk-producer-secret',
    headers: { 'x-mock-sentences': String(command.sentences ?? 4), 'x-mock-chunk-delay-ms': String(command.chunkDelayMs ?? 3) },
  })
    .pipe(persistStream(redis, id, { ttlSeconds: Number(process.env.TTL_SECONDS ?? 60) }))
    .subscribe({
      error: () => (running.delete(id), say({ done: id, status: 'error' })),
      complete: () => (running.delete(id), say({ done: id, status: 'completed' })),
    });
  if (!subscription.closed) running.set(id, subscription);
});

/** resolves once the stored stream ends with its end marker ('e'), or after `ms` */
async function endStored(id, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [last] = await redis.xrevrange(`rxllm:stream:${id}`, '+', '-', 'COUNT', 1);
    if (last && last[1][0] === 'e') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

process.on('SIGTERM', async () => {
  const ids = [...running.keys()];
  for (const subscription of running.values()) subscription.unsubscribe();
  // a write in flight holds the end marker back until Redis answers it (persistStream keeps one
  // command in flight per stream, so entries arrive in order): wait for the markers, then quit
  await Promise.all(ids.map((id) => endStored(id, 5000)));
  await redis.quit().catch(() => undefined);
  process.exit(0);
});

redis.ping().then(() => say({ ready: true }));
