import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Redis } from 'ioredis';
import { lastValueFrom, toArray } from 'rxjs';
import { streamChat$, type Chunk } from '../../lib';
import { resumeStream$ } from '../../redis';
import { seededRandom, startMockServer, startRedisServer, type MockServer, type RedisServer } from '../../testing';
import { collect } from '../support/collect';

/** reconnecting clients, each over a chat of its own (RXLLM_HEAVY: 500) */
const RUNS = Number(process.env.RXLLM_HEAVY ? 500 : 100);

/** A child Node process of spec/redis/processes that talks JSON lines on stdout. */
interface Instance {
  child: ChildProcessWithoutNullStreams;
  /** resolves with the first message that matches */
  next(match: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(message: object): void;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function startInstance(script: string, env: Record<string, string>): Instance {
  const child = spawn(process.execPath, [join(__dirname, 'processes', script)], { env: { ...process.env, ...env } });
  const waiting: Array<{ match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void; reject: (error: Error) => void }> = [];
  const seen: Record<string, unknown>[] = [];
  let stderr = '';
  /** the process ended: what every wait still open, and every later one, fails with */
  let exited: Error | undefined;
  child.stderr.on('data', (data) => (stderr += data));
  // one listener for every wait (a listener per wait passed Node's limit of 10 over 100 runs)
  child.once('exit', (code) => {
    exited = new Error(`${script} exited (${code}): ${stderr}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const i = waiting.findIndex((w) => w.match(message));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(message);
    else seen.push(message);
  });
  return {
    child,
    next: (match) => {
      const i = seen.findIndex(match);
      if (i >= 0) return Promise.resolve(seen.splice(i, 1)[0]);
      if (exited) return Promise.reject(exited);
      return new Promise((resolve, reject) => waiting.push({ match, resolve, reject }));
    },
    send: (message) => child.stdin.write(`${JSON.stringify(message)}\n`),
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

/** A server-sent event as the browser's EventSource parses it. */
interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/**
 * One connection of a browser-like client: sends Last-Event-ID, parses events, and drops the
 * connection after `dropAfter` events (never, when undefined). Resolves with the events it got.
 */
function connect(port: number, streamId: string, lastEventId: string | undefined, dropAfter: number | undefined): Promise<SseEvent[]> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const req = request({ host: '127.0.0.1', port, path: `/streams/${streamId}`, headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId } });
    req.on('response', (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      const drop = () => {
        req.destroy();
        resolve(events);
      };
      if (dropAfter === 0) return drop();
      res.on('data', (text: string) => {
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            const [field, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (field === 'id') event.id = value;
            else if (field === 'event') event.event = value;
            else if (field === 'data') event.data += value;
          }
          events.push(event);
          if (dropAfter !== undefined && events.length >= dropAfter) return drop();
        }
      });
      res.on('end', () => resolve(events));
    });
    req.on('error', (error) => (req.destroyed && events.length >= (dropAfter ?? Infinity) ? resolve(events) : reject(error)));
    req.end();
  });
}

describe('a stream persisted by one process and resumed through another', () => {
  let redisServer: RedisServer;
  let mock: MockServer;
  let producer: Instance;
  let resumer: Instance;
  let port: number;

  beforeAll(async () => {
    [redisServer, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    const env = { REDIS_URL: redisServer.url, MOCK_URL: mock.url };
    producer = startInstance('producer.cjs', env);
    resumer = startInstance('resumeServer.cjs', env);
    await producer.next((m) => m.ready === true);
    port = Number((await resumer.next((m) => typeof m.port === 'number')).port);
  }, 30_000);
  afterAll(async () => {
    await Promise.all([producer?.stop(), resumer?.stop()]);
    await Promise.all([redisServer.close(), mock.close()]);
  });

  test(`${RUNS} clients that drop the connection at random points and reconnect with their Last-Event-ID assemble the answer, no chunk twice`, async () => {
    const seed = Number(process.env.RXLLM_SEED ?? 10);
    const random = seededRandom(seed);
    let reconnects = 0;
    for (let run = 0; run < RUNS; run++) {
      const id = `run-${seed}-${run}`;
      const prompt = `Question ${run}: why would a stream need to survive a reconnect?`;
      const sentences = 2 + Math.floor(random() * 5);
      const expected = await lastValueFrom(
        streamChat$('openai', [{ role: 'user', content: prompt }], {
          baseURL: `${mock.url}/v1`,
          apiKey: 'sk-direct',
          headers: { 'x-mock-sentences': String(sentences) },
        }).pipe(toArray()),
      );
      producer.send({ start: id, prompt, sentences, chunkDelayMs: 1 + Math.floor(random() * 4) });

      const seqs: number[] = [];
      let text = '';
      let lastEventId: string | undefined;
      let finished: SseEvent | undefined;
      for (let attempt = 0; !finished; attempt++) {
        if (attempt > 200) throw new Error(`seed ${seed}, run ${run}: no end after 200 connections`);
        const dropAfter = random() < 0.25 ? undefined : Math.floor(random() * 12);
        const events = await connect(port, id, lastEventId, dropAfter);
        for (const event of events) {
          if (event.event === 'done' || event.event === 'error') {
            finished = event;
            break;
          }
          const chunk = JSON.parse(event.data) as Chunk;
          expect(event.id).toBe(String(chunk.seq));
          seqs.push(chunk.seq);
          text += chunk.content ?? '';
          lastEventId = event.id;
        }
        if (!finished) reconnects++;
        if (random() < 0.3) await new Promise((r) => setTimeout(r, Math.floor(random() * 20)));
      }
      const want = expected.map((c) => c.content ?? '').join('');
      if (finished.event !== 'done' || text !== want || seqs.some((s, i) => s !== i) || seqs.length !== expected.length) {
        throw new Error(
          `seed ${seed}, run ${run}: ${finished.event} ${finished.data}; seqs ${seqs.join(',')} of ${expected.length}; text ${JSON.stringify(text.slice(0, 60))}…`,
        );
      }
      await producer.next((m) => m.done === id);
    }
    // the runs did reconnect, mostly mid-answer
    expect(reconnects).toBeGreaterThan(RUNS * 2);
  }, 600_000);
});

describe('killing the producing process mid-answer', () => {
  let redisServer: RedisServer;
  let mock: MockServer;
  let redis: Redis;

  beforeAll(async () => {
    [redisServer, mock] = await Promise.all([startRedisServer(), startMockServer()]);
    redis = new Redis(redisServer.port, '127.0.0.1');
  });
  afterAll(async () => {
    await redis.quit();
    await Promise.all([redisServer.close(), mock.close()]);
  });

  /** starts a producer on a slow chat and resolves once a reader in this process has 5 chunks */
  async function midAnswer(id: string) {
    const producer = startInstance('producer.cjs', { REDIS_URL: redisServer.url, MOCK_URL: mock.url, TTL_SECONDS: '2' });
    await producer.next((m) => m.ready === true);
    producer.send({ start: id, prompt: 'A long answer, please.', sentences: 8, chunkDelayMs: 50 });
    const chunks: Chunk[] = [];
    let resolveFive: () => void;
    const five = new Promise<void>((r) => (resolveFive = r));
    // subscribed before the producer's first write: the reader waits for the stream to start
    const reading = new Promise<{ chunks: Chunk[]; error?: unknown }>((resolve) =>
      resumeStream$(redis, id, { blockMs: 200 }).subscribe({
        next: (chunk) => {
          chunks.push(chunk);
          if (chunks.length === 5) resolveFive();
        },
        error: (error) => resolve({ chunks, error }),
        complete: () => resolve({ chunks }),
      }),
    );
    await five;
    return { producer, reading };
  }

  test('SIGKILL: no end marker is written, the stream expires after its TTL, and the waiting reader gets StreamNotFoundError (expired)', async () => {
    const { producer, reading } = await midAnswer('killed');
    await producer.stop('SIGKILL');
    const { chunks, error } = await reading;
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(error).toMatchObject({ name: 'StreamNotFoundError', reason: 'expired', streamId: 'killed' });
    // and a client that comes later is told at once
    expect((await collect(resumeStream$(redis, 'killed', { startTimeoutMs: 0 }))).error).toMatchObject({ name: 'StreamNotFoundError', reason: 'unknown' });
  }, 30_000);

  test('SIGTERM: the producer cancels its chats and leaves a cancelled end marker; the reader gets StoredStreamError', async () => {
    const { producer, reading } = await midAnswer('terminated');
    await producer.stop('SIGTERM');
    const { chunks, error } = await reading;
    expect(chunks.length).toBeGreaterThanOrEqual(5);
    expect(error).toMatchObject({ name: 'StoredStreamError', ended: 'cancelled' });
  }, 30_000);
});
