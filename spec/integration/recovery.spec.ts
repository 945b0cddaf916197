import { lastValueFrom, toArray } from 'rxjs';
import { isHttpError, isStreamInterruptedError, streamChat$, toResponse, type ChatMessage, type Chunk, type StreamMetrics } from '../../lib';
import { mockBaseURL, seededRandom, startMockServer, type MockFault, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama'] as const;
const STRATEGIES = ['exact', 'sentence', 'paragraph'] as const;
/** runs per provider and strategy: 70 × 3 strategies = 210 per provider (RXLLM_HEAVY: 400 × 3) */
const RUNS = Number(process.env.RXLLM_HEAVY ? 400 : 70);

describe('stream recovery against the mock server', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const chat = (provider: string, messages: ChatMessage[], extra: object = {}) =>
    streamChat$(provider, messages, { baseURL: mockBaseURL(server, provider), apiKey: 'k-recover', model: provider === 'ollama' ? 'llama3.2' : undefined, ...extra });

  describe.each(PROVIDERS)('%s', (provider) => {
    let clean: { text: string; bytes: number };
    const messages: ChatMessage[] = [{ role: 'user', content: `Tell me, ${provider}, why streams break and how to continue them.` }];
    beforeAll(async () => {
      const before = server.requests.length;
      const answer = await lastValueFrom(chat(provider, messages, { headers: { 'x-mock-sentences': '6' } }).pipe(toResponse()));
      clean = { text: answer.content, bytes: (await server.requests[before].closed).bytesWritten };
      expect(clean.text.length).toBeGreaterThan(200);
    });

    test.each(STRATEGIES)(`%s: random resets (${RUNS} runs) give the uninterrupted answer byte for byte, no character twice`, async (strategy) => {
      const seed = Number(process.env.RXLLM_SEED ?? 1 + PROVIDERS.indexOf(provider) * 31 + STRATEGIES.indexOf(strategy));
      const random = seededRandom(seed);
      for (let run = 0; run < RUNS; run++) {
        // one or two failures: a reset at a random byte of the first answer, and maybe a second one
        const faults: Array<MockFault | null> = [{ kind: 'reset', afterBytes: 1 + Math.floor(random() * (clean.bytes - 1)) }];
        if (random() < 0.4) faults.push({ kind: 'reset', afterBytes: 1 + Math.floor(random() * clean.bytes * 0.6) });
        server.queueFaults(...faults);
        const { chunks, error } = await collect(
          chat(provider, messages, { headers: { 'x-mock-sentences': '6' }, streamRecovery: true, recovery: { strategy, delay: 0, maxRetries: 3 } }),
        );
        server.clearFaults();
        const text = chunks.map((c) => c.content ?? '').join('');
        if (error !== undefined || text !== clean.text) {
          throw new Error(`seed ${seed}, run ${run}, faults ${JSON.stringify(faults)}: ${error ? String(error) : `got ${JSON.stringify(text.slice(0, 80))}…`}`);
        }
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      }
    }, 120_000);
  });

  test('every kind of failure before and during the stream is recovered, on every provider', async () => {
    const faults: MockFault[] = [
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 529 },
      { kind: 'error-event', afterChunks: 5 },
      { kind: 'malformed', afterChunks: 4 },
      { kind: 'truncate' },
      { kind: 'close-before-headers' },
    ];
    for (const provider of PROVIDERS) {
      const messages: ChatMessage[] = [{ role: 'user', content: `fault kinds for ${provider}` }];
      const expected = (await lastValueFrom(chat(provider, messages).pipe(toResponse()))).content;
      for (const fault of faults) {
        server.queueFaults(fault, null);
        const answer = await lastValueFrom(chat(provider, messages, { streamRecovery: true, recovery: { delay: 0 } }).pipe(toResponse())).catch((e) => e);
        server.clearFaults();
        if (answer instanceof Error || answer.content !== expected) throw new Error(`${provider}, ${JSON.stringify(fault)}: ${answer instanceof Error ? answer.message : answer.content}`);
      }
    }
  }, 120_000);

  test('a stall longer than the idle timeout is retried; metrics count the retry', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'stall then go' }];
    const expected = (await lastValueFrom(chat('openai', messages).pipe(toResponse()))).content;
    server.queueFaults({ kind: 'stall', afterBytes: 0, ms: 2000 }, null);
    const metrics: StreamMetrics[] = [];
    const answer = await lastValueFrom(
      chat('openai', messages, { timeout: { idleMs: 150 }, streamRecovery: true, recovery: { delay: 0 }, onMetrics: (m: StreamMetrics) => metrics.push(m) }).pipe(toResponse()),
    );
    expect(answer.content).toBe(expected);
    expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', retries: 1 });
  });

  test('a 429 with retry-after: 1 waits about a second, then succeeds', async () => {
    server.queueFaults({ kind: 'status', status: 429, retryAfter: '1' }, null);
    const started = Date.now();
    const answer = await lastValueFrom(chat('anthropic', [{ role: 'user', content: 'patience' }], { streamRecovery: true }).pipe(toResponse()));
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(answer.content.length).toBeGreaterThan(20);
  });

  test('a 401 is not retried', async () => {
    const before = server.requests.length;
    server.queueFaults({ kind: 'status', status: 401 });
    const { error } = await collect(chat('openai', [{ role: 'user', content: 'no key' }], { streamRecovery: true, recovery: { delay: 0 } }));
    expect(isHttpError(error) && error.status).toBe(401);
    expect(server.requests.length - before).toBe(1);
  });

  test('when retries are spent: StreamInterruptedError with every cause in order, partial equal to what was received', async () => {
    server.queueFaults({ kind: 'reset', afterBytes: 1500 }, { kind: 'reset', afterBytes: 800 }, { kind: 'status', status: 503 });
    const { chunks, error } = await collect(chat('openai', [{ role: 'user', content: 'give up' }], { streamRecovery: true, recovery: { delay: 0, maxRetries: 2 } }));
    server.clearFaults();
    expect(isStreamInterruptedError(error)).toBe(true);
    const e = error as { causes: unknown[]; partial: { content: string } };
    expect(e.causes).toHaveLength(3);
    expect(isHttpError(e.causes[2])).toBe(true);
    expect(e.partial.content).toBe(chunks.map((c: Chunk) => c.content ?? '').join(''));
    expect(e.partial.content.length).toBeGreaterThan(0);
  });

  test('the final response sums the usage of every attempt, listed in metadata.attempts', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'count my tokens' }];
    server.queueFaults({ kind: 'reset', afterBytes: 500 }, null);
    const answer = await lastValueFrom(chat('anthropic', messages, { streamRecovery: true, recovery: { delay: 0 } }).pipe(toResponse()));
    const attempts = answer.metadata.attempts as Array<{ usage?: { inputTokens?: number; outputTokens?: number }; error?: string }>;
    expect(attempts).toHaveLength(2);
    expect(attempts[0].error).toBeDefined();
    const sum = (key: 'inputTokens' | 'outputTokens') => attempts.reduce((n, a) => n + (a.usage?.[key] ?? 0), 0);
    expect(answer.usage?.inputTokens).toBe(sum('inputTokens'));
    expect(answer.usage?.outputTokens).toBe(sum('outputTokens'));
  });
});
