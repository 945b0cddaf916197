import fc from 'fast-check';
import { getProvider, isRxllmError, streamChat$, type Chunk, type ChatMessage } from '../../lib';
import { createNdjsonFraming } from '../../lib/transport/ndjsonFraming';
import { createSseFraming } from '../../lib/transport/sseFraming';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama'] as const;
const RUNS = Number(process.env.RXLLM_HEAVY ? 2000 : 150);

/**
 * Feeds bytes through a provider's real framing and decoder, in process, cut into the given pieces.
 * Returns the chunks and the error; anything thrown that is not an rxllm error is a bug.
 */
function decode(providerId: string, bytes: Uint8Array, cuts: number[]): { chunks: Chunk[]; error?: unknown } {
  const provider = getProvider(providerId)!;
  const chunks: Chunk[] = [];
  const decoder = provider.createDecoder({ provider: providerId, emit: (c) => chunks.push(c) });
  const onEvent = (e: { data: string; event?: string }) => {
    if (!decoder.done) decoder.onEvent(e);
  };
  const framing = provider.framing === 'ndjson' ? createNdjsonFraming(onEvent, 64 * 1024, providerId) : createSseFraming(onEvent, 64 * 1024, providerId);
  const utf8 = new TextDecoder();
  try {
    let at = 0;
    for (const cut of [...cuts, bytes.length]) {
      if (cut <= at) continue;
      framing.feed(utf8.decode(bytes.subarray(at, cut), { stream: true }));
      at = cut;
      if (decoder.done) return { chunks };
    }
    framing.feed(utf8.decode());
    framing.end();
    if (!decoder.done) decoder.onEnd();
    return { chunks };
  } catch (error) {
    return { chunks, error };
  }
}

const messages: ChatMessage[] = [{ role: 'user', content: 'Tell me something about streams, please.' }];

describe('hostile input: random and mutated bytes on every provider', () => {
  let server: MockServer;
  const bodies: Record<string, Buffer> = {};
  beforeAll(async () => {
    server = await startMockServer();
    // a clean body of each wire format, as the mock server sends it
    for (const id of PROVIDERS) {
      const before = server.requests.length;
      await collect(streamChat$(id, messages, { baseURL: mockBaseURL(server, id), apiKey: 'k-hostile' }));
      const request = server.requests[before];
      const replay = await fetch(`${server.url}${request.path}`, { method: 'POST', headers: request.headers as Record<string, string>, body: JSON.stringify(request.body) });
      bodies[id] = Buffer.from(await replay.arrayBuffer());
    }
  });
  afterAll(() => server.close());

  test.each(PROVIDERS)('%s: a clean body decodes without error (the baseline the mutations start from)', (id) => {
    const { chunks, error } = decode(id, bodies[id], []);
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('').length).toBeGreaterThan(20);
  });

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 40 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 60 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  );
  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
  const mutate = (body: Buffer, list: Mutation[]): Buffer => {
    let b = body;
    for (const m of list) {
      const at = b.length === 0 ? 0 : m.at % b.length;
      if (m.kind === 'flip') (b = Buffer.from(b)), (b[at] = m.value);
      else if (m.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(m.bytes), b.subarray(at)]);
      else if (m.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + m.length)]);
      else if (m.kind === 'truncate') b = b.subarray(0, at);
      else b = Buffer.concat([b.subarray(0, at + m.length), b.subarray(at)]);
    }
    return b;
  };

  test.each(PROVIDERS)(`%s: mutated bodies give chunks or a typed error, never a crash (${RUNS} runs)`, (id) => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (list, rawCuts) => {
        const body = mutate(bodies[id], list);
        const cuts = rawCuts.map((c) => (body.length ? c % body.length : 0)).sort((a, b) => a - b);
        const { error } = decode(id, body, cuts);
        if (error !== undefined && !isRxllmError(error)) throw error;
      }),
      { numRuns: RUNS },
    );
  });

  test.each(PROVIDERS)(`%s: random bytes give a typed error or nothing, never a crash (${RUNS} runs)`, (id) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const { error } = decode(id, bytes, [bytes.length >> 1]);
        if (error !== undefined && !isRxllmError(error)) throw error;
      }),
      { numRuns: RUNS },
    );
  });

  test.each(PROVIDERS)('%s: mutated bodies through HTTP end in chunks or a typed error, with no unhandled rejection', async (id) => {
    const replay = await startReplayServer();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (list) => {
          const body = mutate(bodies[id], list);
          replay.respondWith({ body, contentType: getProvider(id)!.framing === 'ndjson' ? 'application/x-ndjson' : 'text/event-stream' });
          const { error } = await collect(streamChat$(id, messages, { baseURL: replay.url, apiKey: 'k-hostile', timeout: 5000 }));
          if (error !== undefined && !isRxllmError(error)) throw error;
        }),
        { numRuns: 30 },
      );
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await replay.close();
    }
    expect(unhandled).toEqual([]);
  });
});

describe('a hostile size', () => {
  test('a 50 MB single SSE event hits the size limit with a ParseError, memory staying bounded', async () => {
    const replay = await startReplayServer();
    const piece = Buffer.alloc(1 << 20, 'x');
    const pieces = [Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"'), ...Array.from({ length: 50 }, () => piece), Buffer.from('"}}]}\n\n')];
    const body = Buffer.concat(pieces);
    const cuts = Array.from({ length: 50 }, (_, i) => (i + 1) << 20);
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    replay.respondWith({ body, cuts });
    const { error } = await collect(streamChat$('openai', messages, { baseURL: replay.url, apiKey: 'k-1234' }));
    const grown = process.memoryUsage().heapUsed - before;
    await replay.close();
    expect(isRxllmError(error) && error.name).toBe('ParseError');
    expect((error as { kind: string }).kind).toBe('event-too-large');
    // the default limit is 8 MiB: the stream is cut there, far from holding 50 MB (as UTF-16, 100 MB)
    expect(grown).toBeLessThan(60 * 1024 * 1024);
  });
});
