// One of the processes of spec/redis/sharedRateLimitProcesses.spec.ts: runs COUNT chats against the
// mock server at once through streamMany$, gated by a sharedRateLimit of LIMIT requests per WINDOW_MS
// on LIMIT_KEY, as the built package ships it. Answers {"ready": true} once Redis answers and one
// warm-up chat (not rate-limited, marked `x-rxllm-warmup`) has run, so that the measured requests do
// not pay the process's first request (module loading, the JIT); starts on a "go" line on stdin, and answers {"done": true, "completed": n, "failed": n, "errors": [...]}.
// SIGTERM cancels the chats and exits.
const { createInterface } = require('node:readline');
const { Redis } = require('ioredis');
const { streamMany$ } = require('../../../dist/index.cjs');
const { sharedRateLimit } = require('../../../dist/redis.cjs');

const { REDIS_URL, MOCK_URL, LIMIT_KEY, LIMIT, WINDOW_MS, COUNT, WORKER } = process.env;
const redis = new Redis(REDIS_URL);
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const limiter = sharedRateLimit(redis, LIMIT_KEY, { requestsPerMinute: Number(LIMIT), windowMs: Number(WINDOW_MS) });
const requests = Array.from({ length: Number(COUNT) }, (_, i) => ({
  id: `worker${WORKER}-${i}`,
  provider: 'openai',
  messages: [{ role: 'user', content: `worker ${WORKER}, question ${i}` }],
  options: { baseURL: `${MOCK_URL}/v1`, apiKey: 'sk-worker', headers: { 'x-rxllm-worker': String(WORKER) } },
}));

let subscription;
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'go' || subscription) return;
  const errors = [];
  let completed = 0;
  subscription = streamMany$(requests, { concurrency: requests.length, rateLimiter: limiter }).subscribe({
    next: (event) => {
      if ('error' in event) errors.push(String(event.error && event.error.message));
      else if (event.chunk.finishReason) completed++;
    },
    complete: () => {
      say({ done: true, completed, failed: errors.length, errors });
      redis.quit().finally(() => process.exit(0));
    },
  });
});

process.on('SIGTERM', () => {
  if (subscription) subscription.unsubscribe();
  redis.quit().finally(() => process.exit(0));
});

const { lastValueFrom } = require('rxjs');
const warmUp = () =>
  lastValueFrom(
    streamMany$([{ ...requests[0], id: `worker${WORKER}-warmup`, options: { ...requests[0].options, headers: { ...requests[0].options.headers, 'x-rxllm-warmup': '1' } } }]),
  );
Promise.all([redis.ping(), warmUp()]).then(() => say({ ready: true }));
