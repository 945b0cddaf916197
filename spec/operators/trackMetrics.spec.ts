import * as t from 'io-ts';
import { from, lastValueFrom, Subject, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { trackMetrics, type StreamMetrics } from '../../operators';
import { AbortError, costOf, streamChat$, tool, toResponse, type Chunk, type Cost, type PriceTable, type ProviderId, type Usage } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';

const chunk = (seq: number, fields: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', model: 'gpt', seq, bytes: 100, content: 'abcd', ...fields });

describe('trackMetrics', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('passes chunks through untouched; a value on the first chunk, then every intervalMs, and a final one', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { a: chunk(0), b: chunk(1), c: chunk(2, { usage: { outputTokens: 9 } }) };
      const source = cold('  --a 9ms b 9ms c 4ms |', values);
      const seen: StreamMetrics[] = [];
      const out = source.pipe(trackMetrics({ onMetrics: (m) => seen.push(m), intervalMs: 5, scheduler }));
      expectObservable(out).toBe('--a 9ms b 9ms c 4ms |', values);
      expectSubscriptions(source.subscriptions).toBe('^ 26ms !');
      scheduler.flush();
      // first chunk at 2, ticks at 7, 12, 17, 22, final at 27
      expect(seen.map((m) => [m.durationMs, m.status])).toEqual([
        [2, 'streaming'],
        [7, 'streaming'],
        [12, 'streaming'],
        [17, 'streaming'],
        [22, 'streaming'],
        [27, 'completed'],
      ]);
      const last = seen[seen.length - 1];
      expect(last).toMatchObject({
        provider: 'openai',
        model: 'gpt',
        chunksReceived: 3,
        bytesReceived: 300,
        timeToFirstChunkMs: 2,
        outputTokens: 9,
        outputTokensEstimated: false,
        errors: 0,
        interChunkMs: { p50: 10, p90: 10, max: 10 },
      });
      expect(last.chunksPerSecond).toBeCloseTo(3 / 0.027);
      // 9 tokens over the 20 ms from the first chunk to the last
      expect(last.tokensPerSecond).toBeCloseTo(9 / 0.02);
      expect(seen[0]).toMatchObject({ chunksReceived: 1, outputTokens: 1, outputTokensEstimated: true });
    });
  });

  test('a tool run: each step measured on its own (from its request to its first chunk, its tokens, its tools), and the whole run overall', () => {
    scheduler.run(({ cold }) => {
      const result = { toolCallId: 'c1', name: 'get_weather', index: 0, content: '{"celsius":-3}' };
      const values = {
        a: chunk(0, { metadata: { step: 0 }, content: undefined, toolCalls: [{ index: 0, id: 'c1', name: 'get_weather', argumentsDelta: '{}' }] }),
        b: chunk(1, { metadata: { step: 0 }, content: undefined, finishReason: 'tool_calls', usage: { outputTokens: 6 } }),
        r: chunk(2, { metadata: { step: 0, toolResult: result }, bytes: 0, content: undefined }),
        c: chunk(3, { metadata: { step: 1 }, content: 'Snow' }),
        d: chunk(4, { metadata: { step: 1 }, content: ' in Oslo.', finishReason: 'stop', usage: { outputTokens: 16 } }),
      };
      // step 0: its request at 0, the call at 3, the finish at 5, its tool's result at 12; step 1: its request at 12, chunks at 20 and 24
      const seen: StreamMetrics[] = [];
      cold('---a-b 6ms r 7ms c---d|', values).pipe(trackMetrics({ onMetrics: (m) => seen.push(m), scheduler })).subscribe();
      scheduler.flush();
      const last = seen[seen.length - 1];
      expect(last.steps).toEqual([
        { step: 0, timeToFirstChunkMs: 3, durationMs: 12, chunksReceived: 2, outputTokens: 6, outputTokensEstimated: false, tokensPerSecond: 6 / 0.002, toolResults: 1, toolMs: 7 },
        { step: 1, timeToFirstChunkMs: 8, durationMs: 12, chunksReceived: 2, outputTokens: 10, outputTokensEstimated: false, tokensPerSecond: 10 / 0.004, toolResults: 0, toolMs: 0 },
      ]);
      // overall: every chunk, the usage of the whole run, the first chunk of the run
      expect(last).toMatchObject({ status: 'completed', chunksReceived: 5, outputTokens: 16, timeToFirstChunkMs: 3, durationMs: 25 });
      // an ordinary stream has no steps
      expect(seen[0].steps).toEqual([{ step: 0, timeToFirstChunkMs: 3, durationMs: 3, chunksReceived: 1, outputTokens: 0, outputTokensEstimated: true, tokensPerSecond: 0, toolResults: 0, toolMs: 0 }]);
    });
    const plain: StreamMetrics[] = [];
    from([chunk(0), chunk(1)]).pipe(trackMetrics({ onMetrics: (m) => plain.push(m) })).subscribe();
    expect(plain.some((m) => m.steps !== undefined)).toBe(false);
  });

  test('an error ends with a final value of status error, counted in errors', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const seen: StreamMetrics[] = [];
      const source = cold('-a-#', { a: chunk(0) }, new Error('cut'));
      expectObservable(source.pipe(trackMetrics({ onMetrics: (m) => seen.push(m), scheduler }))).toBe('-a-#', { a: chunk(0) }, new Error('cut'));
      scheduler.flush();
      expect(seen.map((m) => m.status)).toEqual(['streaming', 'error']);
      expect(seen[1].errors).toBe(1);
    });
  });

  test("an abort through the caller's signal (AbortError) ends with status cancelled, not counted in errors; the error still passes", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const seen: StreamMetrics[] = [];
      const aborted = new AbortError({ provider: 'openai', reason: new Error('user left') });
      const source = cold('-a-#', { a: chunk(0) }, aborted);
      expectObservable(source.pipe(trackMetrics({ onMetrics: (m) => seen.push(m), intervalMs: 1, scheduler }))).toBe('-a-#', { a: chunk(0) }, aborted);
      scheduler.flush();
      expect(seen.map((m) => m.status)).toEqual(['streaming', 'streaming', 'cancelled']);
      expect(seen[2]).toMatchObject({ errors: 0, chunksReceived: 1, durationMs: 3 });
    });
  });

  test("a DOM AbortError (not rxllm's) is a failure like any other error", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const seen: StreamMetrics[] = [];
      const foreign = new DOMException('The operation was aborted.', 'AbortError');
      expectObservable(cold<Chunk>('-#', {}, foreign).pipe(trackMetrics({ onMetrics: (m) => seen.push(m), scheduler }))).toBe('-#', {}, foreign);
      scheduler.flush();
      expect(seen.map((m) => [m.status, m.errors])).toEqual([['error', 1]]);
    });
  });

  test('an unsubscribe ends with status cancelled, and the timer stops', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const seen: StreamMetrics[] = [];
      const source = cold('-a-b-c-d-e-f|', { a: chunk(0), b: chunk(1), c: chunk(2), d: chunk(3), e: chunk(4), f: chunk(5) });
      expectObservable(source.pipe(trackMetrics({ onMetrics: (m) => seen.push(m), intervalMs: 2, scheduler })), '^----!').toBe('-a-b-', {
        a: chunk(0),
        b: chunk(1),
      });
      expectSubscriptions(source.subscriptions).toBe('^----!');
      scheduler.flush();
      // first chunk at 1, a tick at 3, cancelled at 5 — and no tick after it, though virtual time runs on to 12
      expect(seen.map((m) => [m.durationMs, m.status])).toEqual([
        [1, 'streaming'],
        [3, 'streaming'],
        [5, 'cancelled'],
      ]);
    });
  });

  test('metrics$ receives the same values as onMetrics; custom metrics are computed alongside', () => {
    const subject = new Subject<StreamMetrics>();
    const fromSubject: StreamMetrics[] = [];
    subject.subscribe((m) => fromSubject.push(m));
    const fromCallback: StreamMetrics[] = [];
    from([chunk(0, { content: 'ab' }), chunk(1, { content: 'cde' })])
      .pipe(trackMetrics({ metrics$: subject, onMetrics: (m) => fromCallback.push(m), custom: { chars: (c, n) => ((n as number) ?? 0) + (c.content?.length ?? 0) } }))
      .subscribe();
    expect(fromSubject).toEqual(fromCallback);
    expect(fromSubject[fromSubject.length - 1].custom).toEqual({ chars: 5 });
    expect(fromSubject[fromSubject.length - 1].status).toBe('completed');
  });

  test('a synchronous firehose cut by take reports cancelled and leaves no timer', () => {
    const seen: StreamMetrics[] = [];
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    from(Array.from({ length: 100_000 }, (_, i) => chunk(i)))
      .pipe(trackMetrics({ onMetrics: (m) => seen.push(m) }), take(5))
      .subscribe();
    expect(seen[seen.length - 1]).toMatchObject({ status: 'cancelled', chunksReceived: 5 });
    expect(timers()).toBe(before);
  });

  test('a custom metric that throws errors the stream', () => {
    let error: unknown;
    from([chunk(0)])
      .pipe(trackMetrics({ onMetrics: () => undefined, custom: { bad: (): unknown => { throw new Error('bad metric'); } } }))
      .subscribe({ error: (e) => (error = e) });
    expect((error as Error).message).toBe('bad metric');
  });

  test.each([
    [{}, 'onMetrics', 'onMetrics and/or metrics$, to receive the metrics', 'undefined'],
    [{ onMetrics: (): void => undefined, intervalMs: 0 }, 'intervalMs', 'a positive number', '0'],
    [{ onMetrics: (): void => undefined, custom: { x: 5 } }, 'custom.x', 'a function (chunk, current) => value', '5'],
    [{ onMetrics: 'log' }, 'onMetrics', 'a function (metrics) => void', '"log"'],
    [{ metrics$: {} }, 'metrics$', 'an Observer (an object with next())', '{}'],
    [{ onMetrics: (): void => undefined, prices: { openai: { gpt: { input: -1, output: 1 } } } }, 'prices.openai.gpt.input', 'a number ≥ 0', '-1'],
  ])('bad configuration fails when the operator is created, with a ConfigError naming path, expected and got: %p', (config, path, expected, got) => {
    expect(() => trackMetrics(config as never)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: `Invalid trackMetrics config: ${path}: expected ${expected}, got ${got}`, issues: [{ path, expected, got }] }),
    );
  });
});

/** USD per million tokens: round figures, so that the costs below can be worked out by hand */
const PRICES: PriceTable = { openai: { 'gpt*': { input: 2, cachedInput: 0.5, output: 10 } } };
const usd = (total: number, parts: Omit<Cost, 'total' | 'currency'>): Cost => ({ total, ...parts, currency: 'USD' });

describe('trackMetrics with prices: the cost', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('live: absent before any usage, then the cost of the usage as it stands in each value, and in the final one', () => {
    scheduler.run(({ cold }) => {
      const values = {
        a: chunk(0),
        b: chunk(1, { usage: { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 1 } }),
        c: chunk(2, { usage: { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 300, reasoningTokens: 100 }, finishReason: 'stop' }),
      };
      const seen: StreamMetrics[] = [];
      cold('-a 9ms b 9ms c|', values).pipe(trackMetrics({ onMetrics: (m) => seen.push(m), intervalMs: 5, scheduler, prices: PRICES })).subscribe();
      scheduler.flush();
      // values at 1 (first chunk), 6, 11, 16, 21 and the final one at 22
      expect(seen.map((m) => m.cost?.total)).toEqual([undefined, undefined, 0.00141, 0.00141, 0.0044, 0.0044]);
      expect(seen[seen.length - 1]).toMatchObject({ status: 'completed', cost: usd(0.0044, { input: 0.0012, cachedInput: 0.0002, output: 0.002, reasoning: 0.001 }) });
    });
  });

  test('no prices, no cost; no price for the model, no cost; a price function is called only when the counts changed', () => {
    const usage = { inputTokens: 10, outputTokens: 10 };
    // the same counts again in a new object, as Gemini repeats its usage on every event
    const chunks = [chunk(0, { usage }), chunk(1), chunk(2, { usage: { ...usage } }), chunk(3, { usage: { ...usage, outputTokens: 20 } })];
    const plain: StreamMetrics[] = [];
    from(chunks).pipe(trackMetrics({ onMetrics: (m) => plain.push(m) })).subscribe();
    expect(plain.some((m) => 'cost' in m)).toBe(false);
    const unpriced: StreamMetrics[] = [];
    from(chunks).pipe(trackMetrics({ onMetrics: (m) => unpriced.push(m), prices: { anthropic: { '*': { input: 1, output: 1 } } } })).subscribe();
    expect(unpriced.some((m) => 'cost' in m)).toBe(false);

    const price = jest.fn((u: Usage) => (u.outputTokens ?? 0) / 1000);
    const seen: StreamMetrics[] = [];
    scheduler.run(({ cold }) => {
      // values at 0 (first chunk), 2, 4, 6, 8, 10 (d at 10, before the tick) and the final one
      cold('a-b-c 5ms d|', { a: chunks[0], b: chunks[1], c: chunks[2], d: chunks[3] })
        .pipe(trackMetrics({ onMetrics: (m) => seen.push(m), intervalMs: 2, scheduler, prices: { openai: price } }))
        .subscribe();
    });
    expect(seen.map((m) => m.cost?.total)).toEqual([0.01, 0.01, 0.01, 0.01, 0.01, 0.02, 0.02]);
    expect(price).toHaveBeenCalledTimes(2);
    expect(price).toHaveBeenCalledWith(usage, { provider: 'openai', model: 'gpt' });
  });

  test('a price function that throws, or returns what is not a cost, errors the stream (never the timer)', () => {
    const errors: unknown[] = [];
    const throwing = () => {
      throw new Error('no rate for this currency');
    };
    for (const openai of [throwing, () => NaN]) {
      from([chunk(0), chunk(1, { usage: { inputTokens: 1 } })])
        .pipe(trackMetrics({ onMetrics: () => undefined, prices: { openai } }))
        .subscribe({ error: (e) => errors.push(e) });
    }
    expect(errors).toEqual([
      new Error('no rate for this currency'),
      expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ path: 'openai', got: 'NaN' })] }),
    ]);
  });

  test("a tool run: each step's cost from its own usage (the run's usage is summed over the steps), and the run's the sum", () => {
    const values = [
      chunk(0, { metadata: { step: 0 }, content: undefined, finishReason: 'tool_calls', usage: { inputTokens: 100, outputTokens: 20 } }),
      chunk(1, { metadata: { step: 0, toolResult: { toolCallId: 'c1', name: 'f', index: 0, content: '1' } }, content: undefined, bytes: 0 }),
      chunk(2, { metadata: { step: 1 }, content: 'Done.', finishReason: 'stop', usage: { inputTokens: 250, cachedInputTokens: 100, outputTokens: 50 } }),
    ];
    const seen: StreamMetrics[] = [];
    from(values).pipe(trackMetrics({ onMetrics: (m) => seen.push(m), prices: PRICES })).subscribe();
    const last = seen[seen.length - 1];
    // step 0: 100 × 2 + 20 × 10; step 1: 50 × 2 + 100 × 0.5 + 30 × 10
    expect(last.steps?.map((s) => s.cost)).toEqual([usd(0.0004, { input: 0.0002, output: 0.0002 }), usd(0.00045, { input: 0.0001, cachedInput: 0.00005, output: 0.0003 })]);
    expect(last.cost).toEqual(usd(0.00085, { input: 0.0003, cachedInput: 0.00005, output: 0.0005 }));
    // live: the first value, on step 0's usage, has its cost already
    expect(seen[0].steps?.[0].cost).toEqual(usd(0.0004, { input: 0.0002, output: 0.0002 }));
  });

  test("the provider's own cost (Perplexity's metadata.cost) is kept beside it, summed over the requests, never replaced", () => {
    const own = { total: 0.00501, input: 0.00001, request: 0.005, currency: 'USD' as const };
    const values = [
      chunk(0, { provider: 'perplexity', model: 'sonar', metadata: { step: 0, cost: own }, usage: { inputTokens: 10, outputTokens: 0 } }),
      chunk(1, { provider: 'perplexity', model: 'sonar', metadata: { step: 1, cost: { ...own, output: 0.00002 } }, usage: { inputTokens: 20, outputTokens: 20 } }),
    ];
    const seen: StreamMetrics[] = [];
    from(values).pipe(trackMetrics({ onMetrics: (m) => seen.push(m), prices: { perplexity: { sonar: { input: 1, output: 1 } } } })).subscribe();
    const last = seen[seen.length - 1];
    expect(last.cost).toEqual(usd(0.00004, { input: 0.00002, output: 0.00002 }));
    expect(last.providerCost).toEqual({ total: 0.01002, input: 0.00002, request: 0.01, output: 0.00002, currency: 'USD' });
    expect(seen[0].providerCost).toEqual(own);
  });
});

describe('trackMetrics with prices over HTTP, on the mock server: the cost of every request of the stream', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());
  const prices: PriceTable = { anthropic: { '*': { input: 3, cachedInput: 0.3, output: 15 } }, gemini: { '*': { input: 0.3, output: 2.5 } }, openai: { '*': { input: 2, output: 8 } } };
  const costOfUsage = (provider: ProviderId, model: string | undefined, usage: Usage | undefined) => costOf(prices, { provider, model, usage })?.total ?? 0;
  const options = (provider: ProviderId, extra: object, metrics: StreamMetrics[]) => ({
    baseURL: mockBaseURL(server, provider), apiKey: 'k-cost', trackMetrics: { prices }, onMetrics: (m: StreamMetrics) => metrics.push(m), ...extra,
  });

  test('a recovered stream costs the sum of its attempts (the usage of the one cut is counted too)', async () => {
    server.queueFaults({ kind: 'reset', afterBytes: 500 }, null);
    const metrics: StreamMetrics[] = [];
    const answer = await lastValueFrom(streamChat$('anthropic', [{ role: 'user', content: 'count my cost' }], options('anthropic', { streamRecovery: true, recovery: { delay: 0 } }, metrics)).pipe(toResponse()));
    const attempts = answer.metadata.attempts as Array<{ usage?: Usage; error?: string }>;
    expect(attempts).toHaveLength(2);
    expect(attempts[0].error).toBeDefined();
    expect(attempts[0].usage?.inputTokens).toBeGreaterThan(0);
    const last = metrics[metrics.length - 1];
    expect(last.status).toBe('completed');
    expect(last.retries + last.recoveries).toBe(1);
    expect(last.cost?.total).toBeCloseTo(attempts.reduce((sum, a) => sum + costOfUsage('anthropic', last.model, a.usage), 0), 9);
    expect(last.cost?.total).toBeGreaterThan(costOfUsage('anthropic', last.model, attempts[1].usage));
  });

  test("a Gemini answer in three hops costs the sum of the hops' usage", async () => {
    const metrics: StreamMetrics[] = [];
    const headers = { 'x-mock-sentences': '8', 'x-mock-hops': '3' };
    const chunks = await lastValueFrom(streamChat$('gemini', [{ role: 'user', content: 'Write a long answer about streams, in hops.' }], options('gemini', { headers }, metrics)).pipe(toArray()));
    // each hop's own usage: the summed usage at its last chunk less the one at the hop before it
    const hopEnds: Usage[] = [];
    let usage: Usage | undefined;
    for (const c of chunks) {
      if (typeof c.metadata?.hop === 'number' && usage) hopEnds.push(usage);
      if (c.usage) usage = c.usage;
    }
    hopEnds.push(usage!);
    expect(hopEnds).toHaveLength(3);
    const own = hopEnds.map((u, i) => Object.fromEntries(Object.entries(u).map(([k, n]) => [k, n - ((i > 0 ? hopEnds[i - 1][k as keyof Usage] : 0) ?? 0)])) as Usage);
    expect(own.every((u) => (u.inputTokens ?? 0) > 0 && (u.outputTokens ?? 0) > 0)).toBe(true);
    const last = metrics[metrics.length - 1];
    expect(last).toMatchObject({ status: 'completed', hops: 2 });
    expect(last.cost?.total).toBeCloseTo(own.reduce((sum, u) => sum + costOfUsage('gemini', last.model, u), 0), 9);
  });

  test("a tool run over HTTP: each step's cost, and the run's the sum of the steps'", async () => {
    const tools = [tool({ name: 'get_weather', description: 'The weather in a city', parameters: t.type({ city: t.string }), execute: async ({ city }) => ({ city, celsius: -3 }) })];
    const metrics: StreamMetrics[] = [];
    const question = [{ role: 'user' as const, content: 'Use get_weather for Oslo, then get_weather for Bergen.' }];
    await lastValueFrom(streamChat$('openai', question, options('openai', { tools, maxSteps: 5 }, metrics)).pipe(toArray()));
    const last = metrics[metrics.length - 1];
    expect(last.steps!.length).toBeGreaterThanOrEqual(2);
    expect(last.steps!.every((s) => (s.cost?.total ?? 0) > 0)).toBe(true);
    expect(last.cost?.total).toBeCloseTo(last.steps!.reduce((sum, s) => sum + s.cost!.total, 0), 9);
  });
});
