import { from, Subject, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { trackMetrics, type StreamMetrics } from '../../operators';
import { AbortError, type Chunk } from '../../lib';

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
  ])('bad configuration fails when the operator is created, with a ConfigError naming path, expected and got: %p', (config, path, expected, got) => {
    expect(() => trackMetrics(config as never)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: `Invalid trackMetrics config: ${path}: expected ${expected}, got ${got}`, issues: [{ path, expected, got }] }),
    );
  });
});
