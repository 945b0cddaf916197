import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { firstValueFrom, from, type Subscription } from 'rxjs';
import { isConfigError, isRxllmError, streamChat$, type RateLimiter } from '../../lib';
import { sharedRateLimit } from '../../redis';
import { freePort, mockBaseURL, startMockServer, startRedisServer, type MockServer, type RedisServer } from '../../testing';
import { collect } from '../support/collect';

const REQUEST = { provider: 'openai' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 500; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Subscribes to one acquire and tells whether (and when, by this clock) it was admitted. */
function acquiring(limiter: RateLimiter) {
  const state: { admittedAt?: number; error?: unknown; subscription?: Subscription } = {};
  state.subscription = from(limiter.acquire(REQUEST)).subscribe({
    complete: () => (state.admittedAt = Date.now()),
    error: (error) => (state.error = error),
  });
  return state;
}

const admit = (limiter: RateLimiter) => firstValueFrom(from(limiter.acquire(REQUEST)), { defaultValue: undefined });

describe('sharedRateLimit', () => {
  let server: RedisServer;
  let redis: Redis;
  let other: Redis;
  const clients: Redis[] = [];
  /** a fresh key per test */
  const newKey = () => `test:limit:${randomUUID()}`;
  /** the admission times (the Redis server's ms) of the requests in the window, oldest first */
  const admissions = async (key: string) => (await redis.zrange(`${key}:requests`, '0', '-1', 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
    // a second connection: another process's client
    other = new Redis(server.url);
    clients.push(redis, other);
  });
  afterAll(async () => {
    // the clients that gave up are closed already (disconnecting them again leaves a 2 s ioredis timer)
    await Promise.all(clients.filter((c) => c.status !== 'end').map((c) => c.quit()));
    await server.close();
  });

  describe('bad config fails at creation with a ConfigError naming what to pass', () => {
    test.each([
      ['no limit', {}, /config: expected a limit: requestsPerMinute and\/or tokensPerMinute, got neither/],
      ['requestsPerMinute 0', { requestsPerMinute: 0 }, /requestsPerMinute: expected a whole number ≥ 1, got 0/],
      ['requestsPerMinute 2.5', { requestsPerMinute: 2.5 }, /requestsPerMinute: expected a whole number ≥ 1, got 2\.5/],
      ['tokensPerMinute "many"', { tokensPerMinute: 'many' }, /tokensPerMinute: expected a whole number ≥ 1, got "many"/],
      ['windowMs 0', { requestsPerMinute: 5, windowMs: 0 }, /windowMs: expected a whole number of ms ≥ 1, got 0/],
      ['pollMs -1', { requestsPerMinute: 5, pollMs: -1 }, /pollMs: expected a number of ms ≥ 1, got -1/],
      ['onRecordError not a function', { requestsPerMinute: 5, onRecordError: 'log' }, /onRecordError: expected a function, got "log"/],
    ])('%s', (_, config, message) => {
      let error: unknown;
      try {
        sharedRateLimit(redis, newKey(), config as never);
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
    });

    test('a missing client or key', () => {
      expect(() => sharedRateLimit(undefined as never, 'k', { requestsPerMinute: 1 })).toThrow(/redis: expected an ioredis client, got undefined/);
      expect(() => sharedRateLimit({ get: () => 1 } as never, 'k', { requestsPerMinute: 1 })).toThrow(/redis: expected an ioredis client, got an object without evalsha/);
      expect(() => sharedRateLimit(redis, '', { requestsPerMinute: 1 })).toThrow(/key: expected a non-empty string, got ""/);
    });
  });

  test('a sliding window: admits N, then the next waits until the oldest leaves the window, not until the window restarts', async () => {
    const key = newKey();
    const windowMs = 1500;
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 2, windowMs });
    await admit(limiter);
    await sleep(500);
    await admit(limiter);
    const [first, second] = await admissions(key);
    expect(second - first).toBeGreaterThanOrEqual(490);
    // another process's limiter on the same key sees the same window
    const third = acquiring(sharedRateLimit(other, key, { requestsPerMinute: 2, windowMs }));
    await sleep(400);
    expect(third.admittedAt).toBeUndefined();
    await waitUntil(() => third.admittedAt !== undefined, 'the third is admitted');
    const recorded = await admissions(key);
    // the first left the window; the third was admitted once it had, and before the second left too
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toBe(second);
    expect(recorded[1]).toBeGreaterThanOrEqual(first + windowMs);
    expect(recorded[1]).toBeLessThan(second + windowMs);
  });

  test('tokensPerMinute: a request waits while the usage recorded in the window reaches the limit', async () => {
    const key = newKey();
    const windowMs = 1200;
    const limiter = sharedRateLimit(redis, key, { tokensPerMinute: 100, windowMs });
    const tokens = () => redis.zrange(`${key}:tokens`, '0', '-1', 'WITHSCORES');
    await admit(limiter);
    limiter.onUsage!(REQUEST, { inputTokens: 30, outputTokens: 30 });
    await waitUntil(async () => (await tokens()).length === 2, 'the usage is recorded');
    // 60 of 100: admitted at once
    await admit(limiter);
    // totalTokens wins over input + output; recorded well after the first, so it outlives it
    await sleep(400);
    limiter.onUsage!(REQUEST, { inputTokens: 1, outputTokens: 1, totalTokens: 45 });
    await waitUntil(async () => (await tokens()).length === 4, 'the second usage is recorded');
    const [firstMember, firstAt, secondMember, secondAt] = await tokens();
    expect([firstMember.split(':')[0], secondMember.split(':')[0]]).toEqual(['60', '45']);
    // 105 of 100: the next waits until the first usage leaves the window (then 45 remain)
    const next = acquiring(limiter);
    await sleep(300);
    expect(next.admittedAt).toBeUndefined();
    await waitUntil(() => next.admittedAt !== undefined, 'the next is admitted');
    const [remaining] = await tokens();
    expect(remaining).toBe(secondMember);
    // by the same machine's clock, with a little slack for rounding to ms
    expect(next.admittedAt!).toBeGreaterThanOrEqual(Number(firstAt) + windowMs - 5);
    expect(Number(secondAt) - Number(firstAt)).toBeGreaterThanOrEqual(390);
  });

  test('a response saying no requests remain blocks every limiter on the key until the reset; other keys go on', async () => {
    const key = newKey();
    const here = sharedRateLimit(redis, key, { requestsPerMinute: 100 });
    const there = sharedRateLimit(other, key, { requestsPerMinute: 100 });
    // remaining > 0 blocks nothing
    here.onResponse!(REQUEST, { status: 200, headers: { 'x-ratelimit-remaining-requests': '3', 'x-ratelimit-reset-requests': '5s' } });
    await admit(there);
    here.onResponse!(REQUEST, { status: 200, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '800ms' } });
    await waitUntil(async () => (await redis.pttl(`${key}:blocked`)) > 0, 'the block is stored');
    const blockedAt = Date.now();
    const waiting = acquiring(there);
    await admit(sharedRateLimit(other, newKey(), { requestsPerMinute: 100 }));
    await sleep(300);
    expect(waiting.admittedAt).toBeUndefined();
    await waitUntil(() => waiting.admittedAt !== undefined, 'admitted after the reset');
    expect(waiting.admittedAt! - blockedAt).toBeGreaterThanOrEqual(700);
    expect(await redis.exists(`${key}:blocked`)).toBe(0);
  });

  test('a header saying no tokens remain blocks the key until the token window resets', async () => {
    const key = newKey();
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 100 });
    limiter.onResponse!(REQUEST, { status: 200, headers: { 'x-ratelimit-remaining-requests': '50', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '20s' } });
    await waitUntil(async () => (await redis.pttl(`${key}:blocked`)) > 0, 'the block is stored');
    const left = await redis.pttl(`${key}:blocked`);
    expect(left).toBeGreaterThan(15_000);
    expect(left).toBeLessThanOrEqual(20_000);
    // tokens left: no block
    const open = newKey();
    sharedRateLimit(redis, open, { requestsPerMinute: 100 }).onResponse!(REQUEST, { status: 200, headers: { 'x-ratelimit-remaining-tokens': '10', 'x-ratelimit-reset-tokens': '20s' } });
    await sleep(100);
    expect(await redis.exists(`${open}:blocked`)).toBe(0);
  });

  test('a 429 blocks for its retry-after; a shorter block never shortens a longer one', async () => {
    const key = newKey();
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 100 });
    limiter.onResponse!(REQUEST, { status: 429, headers: { 'retry-after': '20' } });
    await waitUntil(async () => (await redis.pttl(`${key}:blocked`)) > 0, 'the block is stored');
    limiter.onResponse!(REQUEST, { status: 200, headers: { 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': new Date(Date.now() + 1000).toISOString() } });
    await sleep(100);
    const left = await redis.pttl(`${key}:blocked`);
    expect(left).toBeGreaterThan(15_000);
    expect(left).toBeLessThanOrEqual(20_000);
  });

  test('every key it writes expires: the requests and tokens after the window, the block after its reset', async () => {
    const key = newKey();
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 10, tokensPerMinute: 1000, windowMs: 30_000 });
    await admit(limiter);
    limiter.onUsage!(REQUEST, { totalTokens: 12 });
    limiter.onResponse!(REQUEST, { status: 200, headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' } });
    await waitUntil(async () => (await redis.exists(`${key}:tokens`, `${key}:blocked`)) === 2, 'all keys are written');
    const ttls = await Promise.all(['requests', 'tokens', 'blocked'].map((k) => redis.pttl(`${key}:${k}`)));
    expect(ttls[0]).toBeGreaterThan(25_000);
    expect(ttls[0]).toBeLessThanOrEqual(30_000);
    expect(ttls[1]).toBeGreaterThan(25_000);
    expect(ttls[1]).toBeLessThanOrEqual(30_000);
    expect(ttls[2]).toBeGreaterThan(350_000);
    expect(ttls[2]).toBeLessThanOrEqual(360_000);
  });

  test('unsubscribing while waiting clears the timer and asks Redis no more', async () => {
    const key = newKey();
    // a long wait slept in steps of pollMs: it asks Redis again every 150 ms
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 1, windowMs: 10_000, pollMs: 150 });
    await admit(limiter);
    const scriptCalls = async () => Number(/cmdstat_evalsha:calls=(\d+)/.exec(await redis.info('commandstats'))?.[1]);
    const realSetTimeout = global.setTimeout;
    const sleeps: unknown[] = [];
    let waiting: ReturnType<typeof acquiring> | undefined;
    // unsubscribe while the limiter sleeps its second step (no call to Redis in flight then)
    const setSpy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      const handle = realSetTimeout(fn, ms);
      if (ms === 150 && sleeps.push(handle) === 2) queueMicrotask(() => waiting!.subscription!.unsubscribe());
      return handle;
    }) as typeof setTimeout);
    const clearSpy = jest.spyOn(global, 'clearTimeout');
    try {
      const before = await scriptCalls();
      waiting = acquiring(limiter);
      await waitUntil(() => waiting!.subscription!.closed, 'unsubscribed');
      expect(clearSpy.mock.calls.map(([handle]) => handle)).toContain(sleeps[1]);
      const calls = await scriptCalls();
      expect(calls).toBe(before + 2);
      await sleep(600);
      expect(await scriptCalls()).toBe(calls);
      expect(sleeps).toHaveLength(2);
      expect(waiting.admittedAt).toBeUndefined();
      expect(waiting.error).toBeUndefined();
    } finally {
      setSpy.mockRestore();
      clearSpy.mockRestore();
    }
    expect(await admissions(key)).toHaveLength(1);
  });

  test('an admission that arrives after the chat went away is given back', async () => {
    const key = newKey();
    const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 5 });
    // unsubscribed before the script's answer comes back: it admits, then the slot is released
    acquiring(limiter).subscription!.unsubscribe();
    await admit(limiter);
    await waitUntil(async () => (await admissions(key)).length === 1, 'the early one is released');
    await sleep(50);
    expect(await admissions(key)).toHaveLength(1);
  });

  test('gates streamChat$ end to end: admits, then records the usage the answer reported', async () => {
    const mock: MockServer = await startMockServer();
    try {
      const key = newKey();
      const limiter = sharedRateLimit(redis, key, { requestsPerMinute: 5, tokensPerMinute: 10_000 });
      const { chunks, error } = await collect(
        streamChat$('openai', [{ role: 'user', content: 'limited' }], { baseURL: mockBaseURL(mock, 'openai'), apiKey: 'k', rateLimiter: limiter }),
      );
      expect(error).toBeUndefined();
      const usage = chunks.find((c) => c.usage)!.usage!;
      expect(usage.totalTokens).toBeGreaterThan(0);
      expect(await admissions(key)).toHaveLength(1);
      await waitUntil(async () => (await redis.zcard(`${key}:tokens`)) === 1, 'the usage is recorded');
      const [member] = await redis.zrange(`${key}:tokens`, '0', '-1');
      expect(Number(member.split(':')[0])).toBe(usage.totalTokens);
    } finally {
      await mock.close();
    }
  });

  describe('when Redis fails', () => {
    test('acquire fails with a retryable RxllmError naming the key, without the password', async () => {
      const port = await freePort();
      const down = new Redis(`redis://:pw-down-s3cret@127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
      down.on('error', () => undefined);
      clients.push(down);
      const { error } = acquiringResult(await settle(sharedRateLimit(down, 'rxllm:limit:down', { requestsPerMinute: 1 })));
      expect(isRxllmError(error)).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(true);
      expect((error as Error).message).toMatch(/^Shared rate limit 'rxllm:limit:down': Redis failed: /);
      expect(inspect(error, { depth: 10 })).not.toMatch(/s3cret/);
    });

    test('a refused password never reaches the error, though ioredis puts it on its own', async () => {
      const guarded = await startRedisServer();
      const admin = new Redis(guarded.url);
      clients.push(admin);
      await admin.config('SET', 'requirepass', 'the-right-one');
      // a client whose login fails: it gives up after the first refusal
      const wrongClient = () => {
        const client = new Redis(`redis://:wrong-s3cret@127.0.0.1:${guarded.port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on('error', () => undefined);
        clients.push(client);
        return client;
      };
      try {
        // what ioredis itself rejects with carries the password (the HELLO … AUTH command)
        const raw = await wrongClient().evalsha('0'.repeat(40), '0').catch((e: unknown) => e);
        expect(inspect(raw, { depth: 10 })).toMatch(/wrong-s3cret/);
        const reported: Error[] = [];
        const limiter = (client: Redis) =>
          sharedRateLimit(client, 'rxllm:limit:guarded', { requestsPerMinute: 1, tokensPerMinute: 10, onRecordError: (e) => reported.push(e) });
        const { error } = acquiringResult(await settle(limiter(wrongClient())));
        expect((error as Error).message).toMatch(/^Shared rate limit 'rxllm:limit:guarded': Redis failed: WRONGPASS/);
        expect(inspect(error, { depth: 10 })).not.toMatch(/s3cret/);
        // writes nobody waits for go to onRecordError, also without the password
        limiter(wrongClient()).onUsage!(REQUEST, { totalTokens: 5 });
        limiter(wrongClient()).onResponse!(REQUEST, { status: 429, headers: {} });
        await waitUntil(() => reported.length === 2, 'both failures are reported');
        expect(reported.map((e) => e.message).sort()).toEqual([
          "Shared rate limit 'rxllm:limit:guarded': recording a block failed: WRONGPASS invalid username-password pair or user is disabled.",
          "Shared rate limit 'rxllm:limit:guarded': recording usage failed: WRONGPASS invalid username-password pair or user is disabled.",
        ]);
        expect(inspect(reported, { depth: 10 })).not.toMatch(/s3cret/);
      } finally {
        await admin.quit();
        await guarded.close();
      }
    });
  });
});

/** Waits for one acquire to be admitted or to fail. */
function settle(limiter: RateLimiter): Promise<{ admitted: boolean; error?: unknown }> {
  return new Promise((resolve) => {
    from(limiter.acquire(REQUEST)).subscribe({ complete: () => resolve({ admitted: true }), error: (error) => resolve({ admitted: false, error }) });
  });
}

function acquiringResult(result: { admitted: boolean; error?: unknown }) {
  expect(result.admitted).toBe(false);
  return result;
}
