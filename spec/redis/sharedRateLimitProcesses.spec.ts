import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startMockServer, startRedisServer, type MockServer, type RedisServer } from '../../testing';

/** processes sharing the limit */
const WORKERS = 4;
/** the shared limit: LIMIT requests in any window of WINDOW_MS */
const LIMIT = 5;
const WINDOW_MS = 2000;
/** chats each process wants to run at once: more than the whole limit */
const COUNT = LIMIT + 1;
/**
 * Slack for the time between an admission (on Redis's clock) and the request's arrival at the mock
 * server (a process's event loop, a new connection): on a loaded machine two requests admitted a
 * window apart may arrive a little less than a window apart.
 */
const ARRIVAL_SLACK_MS = 400;

interface Worker {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

/** Starts spec/redis/processes/rateLimitedWorker.cjs, which reads the built package (dist/). */
function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [join(__dirname, 'processes', 'rateLimitedWorker.cjs')], { env: { ...process.env, ...env } });
  const messages: Array<Record<string, unknown>> = [];
  const waiting: Array<(message: Record<string, unknown>) => void> = [];
  let stderr = '';
  child.stderr.on('data', (data) => (stderr += data));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const resolve = waiting.shift();
    if (resolve) resolve(message);
    else messages.push(message);
  });
  return {
    child,
    next: () =>
      messages.length > 0
        ? Promise.resolve(messages.shift()!)
        : new Promise((resolve, reject) => {
            waiting.push(resolve);
            child.once('exit', (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
          }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

describe('sharedRateLimit across processes', () => {
  let redis: RedisServer;
  let mock: MockServer;
  let workers: Worker[] = [];
  /** when each request reached the mock server (this process's clock), in arrival order */
  const arrivals: number[] = [];
  /** the requests of the chats under the limit, in arrival order */
  const measured: MockServer['requests'] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    mock = await startMockServer({ chunkDelayMs: 2 });
    // time-stamp each request as the server records it; a worker's warm-up chat (before "go") is not one of them
    const push = mock.requests.push.bind(mock.requests);
    mock.requests.push = (...records) => {
      for (const record of records) {
        if (record.headers['x-rxllm-warmup'] !== undefined) continue;
        arrivals.push(Date.now());
        measured.push(record);
      }
      return push(...records);
    };
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await mock.close();
    await redis.close();
  });

  test(`${WORKERS} processes sharing ${LIMIT} requests per window send at most ${LIMIT} in any window, and ${LIMIT} at once`, async () => {
    workers = Array.from({ length: WORKERS }, (_, i) =>
      startWorker({ REDIS_URL: redis.url, MOCK_URL: mock.url, LIMIT_KEY: 'rxllm:limit:shared', LIMIT: String(LIMIT), WINDOW_MS: String(WINDOW_MS), COUNT: String(COUNT), WORKER: String(i) }),
    );
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(workers.map(() => ({ ready: true })));
    for (const w of workers) w.child.stdin.write('go\n');
    const results = await Promise.all(workers.map((w) => w.next()));

    // every process ran all its chats, each with one request
    expect(results).toEqual(workers.map(() => ({ done: true, completed: COUNT, failed: 0, errors: [] })));
    expect(measured).toHaveLength(WORKERS * COUNT);
    const perWorker = measured.map((r) => r.headers['x-rxllm-worker']);
    for (let i = 0; i < WORKERS; i++) expect(perWorker.filter((w) => w === String(i))).toHaveLength(COUNT);

    // at most LIMIT in any window: any LIMIT + 1 consecutive arrivals span a window (less the slack)
    const spans = arrivals.slice(LIMIT).map((at, i) => at - arrivals[i]);
    expect(Math.min(...spans)).toBeGreaterThanOrEqual(WINDOW_MS - ARRIVAL_SLACK_MS);
    // and the limit was used: LIMIT went out at once, in the first window
    const first = arrivals.filter((at) => at < arrivals[0] + WINDOW_MS - ARRIVAL_SLACK_MS);
    expect(first).toHaveLength(LIMIT);
    expect(arrivals[LIMIT - 1] - arrivals[0]).toBeLessThan(ARRIVAL_SLACK_MS);
  }, 30_000);
});
