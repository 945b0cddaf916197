/**
 * persistStream's cost, for docs/scaling.md: the OpenAI body of the throughput section (through the
 * same in-memory stub socket) streamed by `streamChat$` with and without `persistStream` to a
 * throwaway redis-server on loopback, runs paired and interleaved like the throughput rows. Three
 * figures: the chat's own rate with persistence on (the answer is never held back for Redis, so
 * this is the CPU the writes cost the chat), the rate at which Redis has stored the chunks (until
 * the end marker is acknowledged), and the Redis memory a stored stream takes (`MEMORY USAGE`) for
 * a typical 200-chunk answer from the mock server and for the large body.
 */
import { lastValueFrom, toArray } from 'rxjs';
import { ioredis, rxllm, rxllmRedis, rxllmTesting } from './lib/builtPackage.mjs';
import { openaiBody, toPieces } from './lib/bodies.mjs';
import { collectGarbage, median } from './lib/stats.mjs';
import { installStubAgent } from './lib/stubAgent.mjs';

const MESSAGES = [{ role: 'user', content: 'Write a long answer.' }];
const options = { baseURL: 'http://openai.bench/v1', apiKey: 'sk-bench-not-a-key' };

export async function measurePersist({ count, runs, log = () => undefined }) {
  if (!rxllmTesting.haveRedisServer) {
    log(`  skipped: no redis-server at ${rxllmTesting.REDIS_SERVER} (apt-get install redis-server)`);
    return { skipped: `no redis-server at ${rxllmTesting.REDIS_SERVER}` };
  }
  const server = await rxllmTesting.startRedisServer();
  const redis = new ioredis.Redis(server.port, '127.0.0.1');
  /** resolves when the stream's end marker is stored */
  const storedEnd = async (id) => {
    for (;;) {
      const [last] = await redis.xrevrange(`rxllm:stream:${id}`, '+', '-', 'COUNT', 1);
      if (last?.[1][0] === 'e') return;
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  let n = 0;
  let stub;
  try {
    // Redis memory of stored streams, first a typical answer (200 chunks from the mock server), before
    // the stub socket takes over Node's HTTP agent
    const mock = await rxllmTesting.startMockServer();
    const typicalId = `bench-typical-${n++}`;
    const typical = await lastValueFrom(
      rxllm
        .streamChat$('openai', [{ role: 'user', content: 'A typical answer.' }], { baseURL: `${mock.url}/v1`, apiKey: 'sk-bench', headers: { 'x-mock-sentences': '10' } })
        .pipe(rxllmRedis.persistStream(redis, typicalId), toArray()),
    );
    await mock.close();
    stub = installStubAgent();
    const serve = (events) => {
      const body = openaiBody(events);
      stub.serve('openai.bench', { contentType: body.contentType, pieces: toPieces(body.text) });
      return body.expected;
    };
    /** one chat: ms until it completed, and (persisting) ms until Redis acknowledged the end marker */
    const run = async (persist, expected) => {
      collectGarbage();
      const id = `bench-${n++}`;
      const start = performance.now();
      let chunks$ = rxllm.streamChat$('openai', MESSAGES, options);
      if (persist) chunks$ = chunks$.pipe(rxllmRedis.persistStream(redis, id, { maxLen: count + 10, onPersistError: (e) => { throw e; } }));
      const chunks = await lastValueFrom(chunks$.pipe(toArray()));
      const chatMs = performance.now() - start;
      if (chunks.map((c) => c.content ?? '').join('') !== expected) throw new Error('bench: persist run assembled a different text');
      if (!persist) return { chatMs };
      // stored once the end marker is (persistStream writes in order, one command at a time)
      await storedEnd(id);
      const storedMs = performance.now() - start;
      const stored = await redis.xlen(`rxllm:stream:${id}`);
      if (stored !== chunks.length + 2) throw new Error(`bench: ${stored} entries stored for ${chunks.length} chunks`);
      await redis.del(`rxllm:stream:${id}`);
      return { chatMs, storedMs };
    };

    const warm = serve(2000);
    await run(false, warm);
    await run(true, warm);
    const expected = serve(count);
    const plain = [];
    const persisted = [];
    const stored = [];
    const ratios = [];
    for (let round = 0; round < runs; round++) {
      const pair = round % 2 === 0 ? [false, true] : [true, false];
      const result = {};
      for (const persist of pair) result[persist] = await run(persist, expected);
      plain.push(result.false.chatMs);
      persisted.push(result.true.chatMs);
      stored.push(result.true.storedMs);
      ratios.push(result.false.chatMs / result.true.chatMs);
      log(`  round ${round + 1}/${runs} done`);
    }

    const largeId = `bench-large-${n++}`;
    await lastValueFrom(rxllm.streamChat$('openai', MESSAGES, options).pipe(rxllmRedis.persistStream(redis, largeId, { maxLen: count + 10 }), toArray()));
    await storedEnd(largeId);
    await storedEnd(typicalId);
    const memory = async (id) => Number(await redis.memory('USAGE', `rxllm:stream:${id}`, 'SAMPLES', '0'));

    return {
      count,
      runs,
      chatWithoutMs: median(plain),
      chatWithMs: median(persisted),
      storedMs: median(stored),
      chunksPerSecondWithout: (count / median(plain)) * 1000,
      chunksPerSecondWith: (count / median(persisted)) * 1000,
      chunksPerSecondStored: (count / median(stored)) * 1000,
      ratioWithToWithout: median(ratios),
      memory: {
        typical: { chunks: typical.length, bytes: await memory(typicalId) },
        large: { chunks: count, bytes: await memory(largeId) },
      },
    };
  } finally {
    stub?.restore();
    await redis.quit();
    await server.close();
  }
}
