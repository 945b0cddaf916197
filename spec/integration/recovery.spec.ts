import { GoogleGenAI } from '@google/genai';
import { from, lastValueFrom, toArray } from 'rxjs';
import { isHttpError, isStreamInterruptedError, streamChat$, toResponse, type ChatMessage, type Chunk, type StreamMetrics, type ProviderId } from '../../lib';
import { mockBaseURL, seededRandom, startMockServer, type MockFault, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { inLanes, mockServerLanes } from '../support/lanes';

const PROVIDERS = ['openai', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama'] as const;
/** the random-reset runs: every provider as a user runs it, and Anthropic asked for a prefill by a model that refuses it */
const RUN_SETUPS: Array<{ name: string; provider: ProviderId; extra: Record<string, unknown>; recovery?: { continuation: 'prefill' } }> = [
  ...PROVIDERS.map((provider) => ({ name: provider, provider, extra: {} })),
  { name: 'anthropic, prefill asked of claude-opus-4-6', provider: 'anthropic', extra: { model: 'claude-opus-4-6' }, recovery: { continuation: 'prefill' as const } },
];
const STRATEGIES = ['exact', 'sentence', 'paragraph'] as const;
/** runs per provider and strategy: 200 (RXLLM_HEAVY: 400) */
const RUNS = Number(process.env.RXLLM_HEAVY ? 400 : 200);

describe('stream recovery against the mock server', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  // the random-reset runs go side by side, each lane on its own server (its own fault queue)
  const lanes = mockServerLanes();

  const chat = (provider: ProviderId, messages: ChatMessage[], extra: object = {}, on: MockServer = server) =>
    streamChat$(provider, messages, { baseURL: mockBaseURL(on, provider), apiKey: 'k-recover', model: provider === 'ollama' ? 'llama3.2' : undefined, ...extra });

  describe.each(RUN_SETUPS)('$name', ({ provider, extra, recovery }) => {
    let clean: { text: string; bytes: number };
    const messages: ChatMessage[] = [{ role: 'user', content: `Tell me, ${provider}, why streams break and how to continue them.` }];
    beforeAll(async () => {
      const before = server.requests.length;
      const answer = await lastValueFrom(chat(provider, messages, { ...extra, headers: { 'x-mock-sentences': '6' } }).pipe(toResponse()));
      clean = { text: answer.content, bytes: (await server.requests[before].closed).bytesWritten };
      expect(clean.text.length).toBeGreaterThan(200);
    });

    test.each(STRATEGIES)(`%s: random resets (${RUNS} runs) give the uninterrupted answer byte for byte, no character twice`, async (strategy) => {
      const seed = Number(process.env.RXLLM_SEED ?? 1 + RUN_SETUPS.findIndex((s) => s.extra === extra) * 31 + STRATEGIES.indexOf(strategy));
      const random = seededRandom(seed);
      // each run's faults, drawn in run order from the seed: one or two failures, a reset at a
      // random byte of the first answer, and maybe a second one
      const runs = Array.from({ length: RUNS }, () => {
        const faults: Array<MockFault | null> = [{ kind: 'reset', afterBytes: 1 + Math.floor(random() * (clean.bytes - 1)) }];
        if (random() < 0.4) faults.push({ kind: 'reset', afterBytes: 1 + Math.floor(random() * clean.bytes * 0.6) });
        return faults;
      });
      await inLanes(runs, lanes.servers, async (faults, server, run) => {
        server.queueFaults(...faults);
        const { chunks, error } = await collect(
          chat(provider, messages, { ...extra, headers: { 'x-mock-sentences': '6' }, streamRecovery: true, recovery: { ...recovery, strategy, delay: 0, maxRetries: 3 } }, server),
        );
        server.clearFaults();
        const text = chunks.map((c) => c.content ?? '').join('');
        if (error !== undefined || text !== clean.text) {
          throw new Error(`seed ${seed}, run ${run}, faults ${JSON.stringify(faults)}: ${error ? String(error) : `got ${JSON.stringify(text.slice(0, 80))}…`}`);
        }
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      });
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

  describe('continuation forms on the wire', () => {
    const bodyOf = (request: { body: unknown }) => request.body as { messages: Array<{ role: string; content: unknown }>; model: string };
    const textOf = (content: unknown) => (typeof content === 'string' ? content : (content as Array<{ text?: string }>).map((b) => b.text ?? '').join(''));
    const messages: ChatMessage[] = [{ role: 'user', content: 'Which form does the continuation take?' }];

    test('Anthropic continues in instruction form by default: the partial answer as it was delivered, then a user turn', async () => {
      const expected = (await lastValueFrom(chat('anthropic', messages).pipe(toResponse()))).content;
      const before = server.requests.length;
      server.queueFaults({ kind: 'reset', afterBytes: 900 }, null);
      const answer = await lastValueFrom(chat('anthropic', messages, { streamRecovery: true, recovery: { delay: 0 } }).pipe(toResponse()));
      expect(answer.content).toBe(expected);
      const sent = server.requests.slice(before).map(bodyOf);
      expect(sent).toHaveLength(2);
      expect(sent[1].model).toBe('claude-sonnet-4-6');
      const turns = sent[1].messages;
      expect(turns.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
      expect(expected.startsWith(textOf(turns[1].content))).toBe(true);
      expect(textOf(turns[2].content)).toMatch(/^Continue your previous answer exactly where it stopped/);
    });

    test('a prefill asked of a model that takes it (claude-sonnet-4-5) ends with the trimmed partial answer', async () => {
      const options = { model: 'claude-sonnet-4-5', streamRecovery: true, recovery: { delay: 0, continuation: 'prefill' as const } };
      const expected = (await lastValueFrom(chat('anthropic', messages, { model: 'claude-sonnet-4-5' }).pipe(toResponse()))).content;
      const before = server.requests.length;
      server.queueFaults({ kind: 'reset', afterBytes: 900 }, null);
      const answer = await lastValueFrom(chat('anthropic', messages, options).pipe(toResponse()));
      expect(answer.content).toBe(expected);
      const turns = bodyOf(server.requests[before + 1]).messages;
      expect(turns.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(textOf(turns[1].content)).toBe(textOf(turns[1].content).trimEnd());
    });

    test('a prefill refused by claude-opus-4-6 (400) is answered by the instruction form at once; later continuations use it directly', async () => {
      const options = { model: 'claude-opus-4-6', streamRecovery: true, recovery: { delay: 0, continuation: 'prefill' as const, maxRetries: 2 } };
      const expected = (await lastValueFrom(chat('anthropic', messages, { model: 'claude-opus-4-6', headers: { 'x-mock-sentences': '6' } }).pipe(toResponse()))).content;
      const before = server.requests.length;
      server.queueFaults({ kind: 'reset', afterBytes: 700 }, null, { kind: 'reset', afterBytes: 500 }, null);
      const metrics: StreamMetrics[] = [];
      const answer = await lastValueFrom(
        chat('anthropic', messages, { ...options, headers: { 'x-mock-sentences': '6' }, onMetrics: (m: StreamMetrics) => metrics.push(m) }).pipe(toResponse()),
      );
      server.clearFaults();
      expect(answer.content).toBe(expected);
      const log = server.requests.slice(before);
      const ends = log.map((r) => bodyOf(r).messages.at(-1)!.role);
      // the first request, the refused prefill, its instruction form (reset again), then an instruction form straight away
      expect(ends).toEqual(['user', 'assistant', 'user', 'user']);
      expect((await log[1].closed).completed).toBe(true);
      expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', recoveries: 2, retries: 0 });
    });
    test('a refusal whose body breaks off is asked again (its reason never arrived whole), then answered by the instruction form', async () => {
      const options = { model: 'claude-opus-4-6', streamRecovery: true, recovery: { delay: 0, continuation: 'prefill' as const } };
      const expected = (await lastValueFrom(chat('anthropic', messages, { model: 'claude-opus-4-6' }).pipe(toResponse()))).content;
      const before = server.requests.length;
      server.queueFaults({ kind: 'reset', afterBytes: 900 }, { kind: 'reset', afterBytes: 10 }, null);
      const answer = await lastValueFrom(chat('anthropic', messages, options).pipe(toResponse()));
      server.clearFaults();
      expect(answer.content).toBe(expected);
      const log = server.requests.slice(before);
      expect(log.map((r) => bodyOf(r).messages.at(-1)!.role)).toEqual(['user', 'assistant', 'assistant', 'user']);
    });
  });

  describe('Gemini CONTINUATION hops', () => {
    const prompt = 'Write a long answer about streams, in hops.';
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    const headers = (hops: number) => ({ 'x-mock-sentences': '8', 'x-mock-hops': String(hops) });

    test.each([2, 3, 4, 5])('%i hops arrive as one answer, finish stop, usage summed as the official SDK sums it; metrics count the hops', async (hops) => {
      const whole = (await lastValueFrom(chat('gemini', messages, { headers: { 'x-mock-sentences': '8' } }).pipe(toResponse()))).content;
      const before = server.requests.length;
      const metrics: StreamMetrics[] = [];
      const chunks = await lastValueFrom(chat('gemini', messages, { headers: headers(hops), onMetrics: (m: StreamMetrics) => metrics.push(m) }).pipe(toArray()));
      const answer = await lastValueFrom(from(chunks).pipe(toResponse()));
      expect(answer.content).toBe(whole);
      expect(answer.finishReason).toBe('stop');
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      const sent = server.requests.slice(before).map((r) => (r.body as { continuationToken?: string }).continuationToken);
      expect(sent).toHaveLength(hops);
      expect(sent[0]).toBeUndefined();
      expect(sent.slice(1).every((token) => typeof token === 'string' && token.length > 0)).toBe(true);
      expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', hops: hops - 1 });

      // the official client follows the same hops and sums the usage the same way
      const sdk = new GoogleGenAI({ apiKey: 'AIza-mock', httpOptions: { baseUrl: server.url, headers: headers(hops), fetch: (input, init) => fetch(input, init) } });
      let text = '';
      let usage: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number } | undefined;
      for await (const chunk of await sdk.models.generateContentStream({ model: 'gemini-2.5-flash', contents: prompt })) {
        text += chunk.text ?? '';
        if (chunk.usageMetadata) usage = chunk.usageMetadata;
      }
      expect(text).toBe(whole);
      expect(answer.usage).toMatchObject({ inputTokens: usage?.promptTokenCount, outputTokens: usage?.candidatesTokenCount, totalTokens: usage?.totalTokenCount });
    });

    test('a reset inside a hop resumes from its last checkpoint token: an exact resume, no continuation prompt, the answer whole', async () => {
      const whole = (await lastValueFrom(chat('gemini', messages, { headers: { 'x-mock-sentences': '8' } }).pipe(toResponse()))).content;
      const clean = server.requests.length;
      await lastValueFrom(chat('gemini', messages, { headers: headers(3) }));
      const hopBytes = (await server.requests[clean + 1].closed).bytesWritten;
      for (const fraction of [0.3, 0.6, 0.9]) {
        const before = server.requests.length;
        // the second hop breaks part-way, after some of its checkpoints
        server.queueFaults(null, { kind: 'reset', afterBytes: Math.floor(hopBytes * fraction) }, null);
        const metrics: StreamMetrics[] = [];
        const chunks = await lastValueFrom(
          chat('gemini', messages, { headers: headers(3), streamRecovery: true, recovery: { delay: 0 }, onMetrics: (m: StreamMetrics) => metrics.push(m) }).pipe(toArray()),
        );
        server.clearFaults();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(whole);
        const log = server.requests.slice(before).map((r) => r.body as { contents: Array<{ role: string }>; continuationToken?: string });
        // hop 1, hop 2 (broken), the resume from a checkpoint of hop 2, then hop 3
        expect(log.length).toBeGreaterThanOrEqual(4);
        const resumed = log[2];
        expect(typeof resumed.continuationToken).toBe('string');
        expect(resumed.continuationToken).not.toBe(log[1].continuationToken);
        // no continuation prompt: the same conversation as the first request
        expect(resumed.contents).toEqual(log[0].contents);
        expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', recoveries: 1 });
      }
    });
  });

  test('two failed requests before any content: metrics say retries 2', async () => {
    server.queueFaults({ kind: 'status', status: 503 }, { kind: 'status', status: 500 }, null);
    const metrics: StreamMetrics[] = [];
    const answer = await lastValueFrom(
      chat('mistral', [{ role: 'user', content: 'twice unlucky' }], { streamRecovery: true, recovery: { delay: 0 }, onMetrics: (m: StreamMetrics) => metrics.push(m) }).pipe(toResponse()),
    );
    server.clearFaults();
    expect(answer.content.length).toBeGreaterThan(20);
    expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', retries: 2, recoveries: 0 });
  });
});
