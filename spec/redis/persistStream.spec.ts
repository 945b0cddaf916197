import { inspect } from 'node:util';
import { Redis } from 'ioredis';
import { concat, firstValueFrom, from, lastValueFrom, NEVER, of, take, toArray, type Subscription } from 'rxjs';
import { ConfigError, isConfigError, streamChat$, type ChatMessage, type Chunk } from '../../lib';
import { isStoredStreamError, isStreamNotFoundError, persistStream, resumeStream$ } from '../../redis';
import { mockBaseURL, startMockServer, startRedisServer, type MockServer, type RedisServer } from '../../testing';
import { collect } from '../support/collect';

const messages: ChatMessage[] = [{ role: 'user', content: 'Why do chat answers stream?' }];

describe('persistStream and resumeStream$ on a real Redis', () => {
  let redisServer: RedisServer;
  let redis: Redis;
  let server: MockServer;
  let n = 0;
  const newId = () => `spec-${process.pid}-${n++}`;

  beforeAll(async () => {
    [redisServer, server] = await Promise.all([startRedisServer(), startMockServer({ chunkDelayMs: 2 })]);
    redis = new Redis(redisServer.port, '127.0.0.1');
  });
  afterAll(async () => {
    await redis.quit();
    await Promise.all([redisServer.close(), server.close()]);
  });

  const chat = (headers: Record<string, string> = {}) =>
    streamChat$('openai', messages, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-redis-spec', headers });
  /** what is stored under the id: the field of each entry, and the parsed value */
  const stored = async (id: string) =>
    (await redis.xrange(`rxllm:stream:${id}`, '-', '+')).map(([entryId, [field, value]]) => ({ entryId, field, value: JSON.parse(value) }));
  /** waits until `check` holds; fails after 10 s */
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; !(await check()); i++) {
      if (i === 500) throw new Error(`never true: ${String(check)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  test('stores a start marker, every chunk with its seq under entry id seq+1, and a completed end marker', async () => {
    const id = newId();
    const chunks = await lastValueFrom(chat().pipe(persistStream(redis, id), toArray()));
    await until(async () => (await stored(id)).some((e) => e.field === 'e'));
    const entries = await stored(id);
    expect(entries[0]).toMatchObject({ entryId: '0-1', field: 's' });
    expect(entries.slice(1, -1)).toEqual(chunks.map((chunk) => ({ entryId: `${chunk.seq + 1}-0`, field: 'c', value: chunk })));
    expect(entries.at(-1)).toEqual({ entryId: `${chunks.length + 1}-0`, field: 'e', value: { status: 'completed' } });
    expect(await redis.ttl(`rxllm:stream:${id}`)).toBeGreaterThan(590);
  });

  test('resumeStream$ replays a finished stream after fromSeq, each chunk once, then completes', async () => {
    const id = newId();
    const chunks = await lastValueFrom(chat().pipe(persistStream(redis, id), toArray()));
    await until(async () => (await stored(id)).some((e) => e.field === 'e'));
    for (const fromSeq of [-1, 0, 7, chunks.length - 2, chunks.length - 1]) {
      const { chunks: replayed, error } = await collect(resumeStream$(redis, id, { fromSeq }));
      expect(error).toBeUndefined();
      expect(replayed).toEqual(chunks.slice(fromSeq + 1));
    }
  });

  test('a reader that joins mid-answer gets the stored chunks, then the live ones as they are written, until the end', async () => {
    const id = newId();
    const produced: Chunk[] = [];
    const done = lastValueFrom(chat({ 'x-mock-chunk-delay-ms': '15' }).pipe(persistStream(redis, id), toArray()));
    await until(async () => (await stored(id)).filter((e) => e.field === 'c').length >= 3);
    const reading = collect(resumeStream$(redis, id, { fromSeq: 1, blockMs: 100 }));
    produced.push(...(await done));
    const { chunks, error } = await reading;
    expect(error).toBeUndefined();
    expect(chunks).toEqual(produced.slice(2));
  });

  test("the chat is never held back for Redis: with Redis unreachable the answer passes whole and the failure goes to onPersistError", async () => {
    const dead = new Redis(1, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    dead.on('error', () => {});
    const failures: Error[] = [];
    const direct = await lastValueFrom(chat().pipe(toArray()));
    const through = await lastValueFrom(chat().pipe(persistStream(dead, newId(), { onPersistError: (e) => failures.push(e) }), toArray()));
    expect(through.map((c) => c.content ?? '').join('')).toBe(direct.map((c) => c.content ?? '').join(''));
    await until(async () => failures.length > 0);
    expect(failures[0]).toBeInstanceOf(Error);
    dead.disconnect();
  });

  test('a stream that fails stores an error end marker with the public fields only; the reader gets StoredStreamError after the chunks before it', async () => {
    const id = newId();
    const { chunks, error } = await collect(chat({ 'x-mock-fault': JSON.stringify({ kind: 'error-event', afterChunks: 4 }) }).pipe(persistStream(redis, id)));
    expect(error).toBeDefined();
    await until(async () => (await stored(id)).some((e) => e.field === 'e'));
    const end = (await stored(id)).at(-1)!;
    expect(end.value.status).toBe('error');
    expect(Object.keys(end.value.error).sort()).toEqual(expect.arrayContaining(['message', 'name', 'retryable']));
    expect(JSON.stringify(end.value)).not.toContain('sk-redis-spec');
    const read = await collect(resumeStream$(redis, id));
    expect(read.chunks).toEqual(chunks);
    expect(isStoredStreamError(read.error)).toBe(true);
    expect(read.error).toMatchObject({ ended: 'error', original: { name: (error as Error).name } });
  });

  test('a subscriber that goes away leaves a cancelled end marker: a reader is told, not left waiting', async () => {
    const id = newId();
    const firstThree = await lastValueFrom(chat({ 'x-mock-chunk-delay-ms': '10' }).pipe(persistStream(redis, id), take(3), toArray()));
    const read = await collect(resumeStream$(redis, id, { blockMs: 100 }));
    expect(read.chunks).toEqual(firstThree);
    expect(read.error).toMatchObject({ name: 'StoredStreamError', ended: 'cancelled', retryable: false });
  });

  test('an unknown id is a StreamNotFoundError (unknown): at once with startTimeoutMs 0, else after startTimeoutMs', async () => {
    for (const startTimeoutMs of [0, 300]) {
      const started = Date.now();
      const { chunks, error } = await collect(resumeStream$(redis, 'never-started', { startTimeoutMs, blockMs: 100 }));
      expect(chunks).toEqual([]);
      expect(isStreamNotFoundError(error)).toBe(true);
      expect(error).toMatchObject({ reason: 'unknown', streamId: 'never-started' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(startTimeoutMs);
    }
  });

  test('a reader that subscribes before the producer has written anything waits for the stream and reads it whole', async () => {
    const id = newId();
    const reading = collect(resumeStream$(redis, id, { blockMs: 100 }));
    await new Promise((r) => setTimeout(r, 150));
    const produced = await lastValueFrom(chat().pipe(persistStream(redis, id), toArray()));
    const { chunks, error } = await reading;
    expect(error).toBeUndefined();
    expect(chunks).toEqual(produced);
  });

  test('a stream whose producer stopped writing without an end marker expires, and its waiting reader gets StreamNotFoundError (expired)', async () => {
    const id = newId();
    // a producer that hangs: two chunks, then nothing (no end marker while it lives), with a 1 s TTL
    const chunk = (seq: number): Chunk => ({ provider: 'custom', seq, bytes: 0, content: `c${seq}` });
    const subscription: Subscription = concat(of(chunk(0), chunk(1)), NEVER).pipe(persistStream(redis, id, { ttlSeconds: 1 })).subscribe();
    await until(async () => (await stored(id)).some((e) => e.field === 'c'));
    // (a reader that never ends would fail the test by jest's timeout)
    const read = await collect(resumeStream$(redis, id, { blockMs: 200 }));
    subscription.unsubscribe();
    expect(read.chunks.map((c) => c.content)).toEqual(['c0', 'c1']);
    expect(read.error).toMatchObject({ name: 'StreamNotFoundError', reason: 'expired' });
  });

  test('chunks trimmed by maxLen are reported (trimmed), never skipped silently', async () => {
    const id = newId();
    const chunks = await lastValueFrom(chat().pipe(persistStream(redis, id, { maxLen: 5 }), toArray()));
    expect(chunks.length).toBeGreaterThan(5);
    await until(async () => (await stored(id)).some((e) => e.field === 'e'));
    const { error } = await collect(resumeStream$(redis, id));
    expect(error).toMatchObject({ name: 'StreamNotFoundError', reason: 'trimmed' });
    // the kept tail can still be read by a client that has everything before it
    const tail = await collect(resumeStream$(redis, id, { fromSeq: chunks.length - 5 }));
    expect(tail.chunks).toEqual(chunks.slice(chunks.length - 4));
  });

  test('bad calls: a fromSeq past the end of a finished stream and bad arguments are ConfigErrors naming the argument; bad persist settings throw at once', async () => {
    const id = newId();
    const chunks = await lastValueFrom(chat().pipe(persistStream(redis, id), toArray()));
    await until(async () => (await stored(id)).some((e) => e.field === 'e'));
    const past = await collect(resumeStream$(redis, id, { fromSeq: chunks.length + 3 }));
    expect(isConfigError(past.error)).toBe(true);
    expect((past.error as Error).message).toContain('fromSeq');
    for (const [config, path] of [
      [{ fromSeq: -2 }, 'fromSeq'],
      [{ fromSeq: 1.5 }, 'fromSeq'],
      [{ blockMs: 0 }, 'blockMs'],
      [{ count: 'many' }, 'count'],
      [{ startTimeoutMs: -1 }, 'startTimeoutMs'],
    ] as const) {
      const error = await firstValueFrom(resumeStream$(redis, id, config as never)).catch((e: unknown) => e);
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(path);
    }
    expect(() => persistStream(redis, '')).toThrow('Invalid persistStream arguments: streamId: expected a non-empty string, got ""');
    expect(() => persistStream(redis, 'x', { ttlSeconds: 0 })).toThrow('ttlSeconds: expected a positive integer, got 0');
    expect(() => persistStream(redis, 'x', { maxLen: 1.5 })).toThrow('maxLen: expected a whole number ≥ 2, got 1.5');
    expect(() => persistStream(redis, 'x', { onPersistError: 'log' as never })).toThrow('onPersistError: expected a function (error) => void, got "log"');
    expect(() => persistStream(redis, 'x', { ttlSeconds: 0 })).toThrow(ConfigError);
  });

  test('a chunk whose seq does not increase is not stored, and the failure is reported', async () => {
    const id = newId();
    const failures: Error[] = [];
    const chunk = (seq: number): Chunk => ({ provider: 'custom', seq, bytes: 0, content: `c${seq}` });
    const passed = await lastValueFrom(of(chunk(0), chunk(1), chunk(1), chunk(2)).pipe(persistStream(redis, id, { onPersistError: (e) => failures.push(e) }), toArray()));
    expect(passed.map((c) => c.seq)).toEqual([0, 1, 1, 2]);
    expect(failures.map((e) => e.message)).toEqual([expect.stringContaining('seq 1 does not follow 1')]);
    const { chunks } = await collect(resumeStream$(redis, id));
    expect(chunks.map((c) => c.seq)).toEqual([0, 1, 2]);
  });

  test('a burst of 2,500 chunks in one turn of the event loop is stored whole and in order (commands of at most 1,000 entries, one at a time)', async () => {
    const id = newId();
    const burst = Array.from({ length: 2500 }, (_, seq): Chunk => ({ provider: 'custom', seq, bytes: 0, content: `c${seq} ` }));
    const failures: Error[] = [];
    await lastValueFrom(from(burst).pipe(persistStream(redis, id, { onPersistError: (e) => failures.push(e) }), toArray()));
    const { chunks, error } = await collect(resumeStream$(redis, id));
    expect(failures).toEqual([]);
    expect(error).toBeUndefined();
    expect(chunks).toEqual(burst);
  });

  test('a refused password never reaches what persistStream reports nor the error of resumeStream$, though ioredis puts it on its own errors', async () => {
    const guarded = await startRedisServer();
    const admin = new Redis(guarded.port, '127.0.0.1');
    const clients: Redis[] = [admin];
    const wrong = () => {
      const client = new Redis(`redis://:wrong-s3cret@127.0.0.1:${guarded.port}`, { maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      clients.push(client);
      return client;
    };
    try {
      await admin.config('SET', 'requirepass', 'the-right-one');
      const raw = await wrong().xlen('x').catch((e: unknown) => e);
      expect(inspect(raw, { depth: 10 })).toMatch(/wrong-s3cret/);

      const failures: Error[] = [];
      const passed = await lastValueFrom(chat().pipe(persistStream(wrong(), newId(), { onPersistError: (e) => failures.push(e) }), toArray()));
      expect(passed.length).toBeGreaterThan(3);
      await until(async () => failures.length > 0);
      expect(failures[0].message).toMatch(/^rxllm\/redis: persisting stream '.+' failed: WRONGPASS/);
      expect(inspect(failures, { depth: 10 })).not.toMatch(/s3cret/);

      const { error } = await collect(resumeStream$(wrong(), 'any', { startTimeoutMs: 0 }));
      expect(error).toMatchObject({ name: 'StreamInterruptedError', retryable: true });
      expect((error as Error).message).toMatch(/WRONGPASS/);
      expect(inspect(error, { depth: 10 })).not.toMatch(/s3cret/);
    } finally {
      for (const client of clients) client.disconnect();
      await guarded.close();
    }
  });

  test("unsubscribing a reader closes its Redis connection", async () => {
    const id = newId();
    const subscription = concat(of<Chunk>({ provider: 'custom', seq: 0, bytes: 0, content: 'c0' }), NEVER).pipe(persistStream(redis, id)).subscribe();
    await until(async () => (await stored(id)).some((e) => e.field === 'c'));
    const clients = async () => String(await redis.client('LIST')).trim().split('\n').length;
    const before = await clients();
    const reader = resumeStream$(redis, id, { blockMs: 10_000 }).subscribe();
    await until(async () => (await clients()) === before + 1);
    reader.unsubscribe();
    await until(async () => (await clients()) === before);
    subscription.unsubscribe();
  });
});
