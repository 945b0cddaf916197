import fc from 'fast-check';
import { Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { bufferChunks, BufferChunksConfig, RecoverStreamConfig, TrackMetricsConfig, ValidateChunkConfig } from '../../operators';
import { coalesceChunks } from '../../operators/coalesceChunks';
import { ConfigError, createResponseAccumulator, type Chunk } from '../../lib';

const chunk = (seq: number, content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', seq, bytes: content.length, content, ...extra });

describe('bufferChunks', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('groups of n, the rest at completion', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-|', { a: chunk(0, 'a'), b: chunk(1, 'b'), c: chunk(2, 'c'), d: chunk(3, 'd'), e: chunk(4, 'e') });
      expectObservable(source.pipe(bufferChunks(2))).toBe('---x---y---(z|)', { x: chunk(0, 'ab'), y: chunk(1, 'cd'), z: chunk(2, 'e') });
      expectSubscriptions(source.subscriptions).toBe('^----------!');
    });
  });

  test('a tool run: a group holds chunks of one step only, and a tool result goes alone', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const result = { toolCallId: 'c1', name: 'w', index: 0, content: '"sunny"' };
      const step = (n: number) => ({ metadata: { step: n } });
      const resultChunk = (seq: number, toolResult: typeof result): Chunk => ({ provider: 'openai', seq, bytes: 0, metadata: { step: 0, toolResult } });
      const values = {
        a: chunk(0, 'a', step(0)),
        b: chunk(1, 'b', step(0)),
        r: resultChunk(2, result),
        s: resultChunk(3, { ...result, toolCallId: 'c2' }),
        c: chunk(4, 'c', step(1)),
        d: chunk(5, 'd', step(1)),
        e: chunk(6, 'e', step(2)),
      };
      expectObservable(cold('(abrscde|)', values).pipe(bufferChunks(10))).toBe('(xrsyz|)', {
        x: chunk(0, 'ab', step(0)),
        r: resultChunk(1, result),
        s: resultChunk(2, { ...result, toolCallId: 'c2' }),
        y: chunk(3, 'cd', step(1)),
        z: chunk(4, 'e', step(2)),
      });
    });
  });

  test('maxWaitMs lets a group out at most that long after its first chunk (virtual time)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b------c-|', { a: chunk(0, 'a'), b: chunk(1, 'b'), c: chunk(2, 'c') });
      expectObservable(source.pipe(bufferChunks({ size: 10, maxWaitMs: 4, scheduler }))).toBe('-----x------(y|)', { x: chunk(0, 'ab'), y: chunk(1, 'c') });
    });
  });

  test('adaptive: at most targetPerSecond groups a second, the first at once', () => {
    scheduler.run(({ cold, expectObservable }) => {
      // 1 chunk per ms, target 250 groups/s = one group per 4 ms
      const source = cold('abcdefghij|', Object.fromEntries('abcdefghij'.split('').map((l, i) => [l, chunk(i, l)])));
      expectObservable(source.pipe(bufferChunks({ adaptive: { targetPerSecond: 250 }, scheduler }))).toBe('a---b---c-(d|)', {
        a: chunk(0, 'a'),
        b: chunk(1, 'bcde'),
        c: chunk(2, 'fghi'),
        d: chunk(3, 'j'),
      });
    });
  });

  test('flushes before an error, so nothing is lost', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-#', { a: chunk(0, 'a'), b: chunk(1, 'b') }, new Error('cut'));
      expectObservable(source.pipe(bufferChunks(5))).toBe('-----(x#)', { x: chunk(0, 'ab') }, new Error('cut'));
    });
  });

  test('an early unsubscribe reaches the source and stops the timer', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d|', { a: chunk(0, 'a'), b: chunk(1, 'b'), c: chunk(2, 'c'), d: chunk(3, 'd') });
      expectObservable(source.pipe(bufferChunks({ size: 10, maxWaitMs: 10, scheduler })), '^--!').toBe('---');
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take stops the source', () => {
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 10_000 && !s.closed; i++) (produced++, s.next(chunk(i, 'x')));
      s.complete();
    });
    const groups: string[] = [];
    firehose.pipe(bufferChunks(3), take(2)).subscribe((c) => groups.push(c.content!));
    expect(groups).toEqual(['xxx', 'xxx']);
    expect(produced).toBe(6);
  });

  test('coalescing keeps tool-call fragments in order, the last finish reason, merged usage, summed bytes', () => {
    const merged = coalesceChunks(
      [
        chunk(4, '', { id: 'r', toolCalls: [{ index: 0, id: 'c', name: 'f', argumentsDelta: '{"a"' }], usage: { inputTokens: 3 } }),
        chunk(5, 'x', { toolCalls: [{ index: 0, argumentsDelta: ':1}' }] }),
        chunk(6, 'y', { finishReason: 'tool_calls', usage: { outputTokens: 2 }, metadata: { rawFinishReason: 'tool_calls' } }),
      ],
      1,
    );
    expect(merged).toEqual({
      provider: 'openai',
      seq: 1,
      id: 'r',
      bytes: 2,
      content: 'xy',
      toolCalls: [{ index: 0, id: 'c', name: 'f', argumentsDelta: '{"a"' }, { index: 0, argumentsDelta: ':1}' }],
      finishReason: 'tool_calls',
      usage: { inputTokens: 3, outputTokens: 2 },
      metadata: { rawFinishReason: 'tool_calls' },
    });
  });

  test('coalescing keeps the last model named, as accumulate() does (a fallback model took over within the run)', () => {
    const run = [chunk(0, 'a', { id: 'r', model: 'claude-fable-5' }), chunk(1, '', { model: 'claude-opus-4-8', metadata: { fallback: {} } }), chunk(2, 'b', { model: 'claude-opus-4-8' })];
    expect(coalesceChunks(run, 0)).toMatchObject({ id: 'r', model: 'claude-opus-4-8', content: 'ab' });
  });

  test.each([
    [0, 'size', 'a whole number ≥ 1', '0'],
    [1.5, 'size', 'a whole number ≥ 1', '1.5'],
    [{}, '(root)', 'a size, maxWaitMs or adaptive: { targetPerSecond } (else the chunks would wait for the end)', '{}'],
    [{ size: 2, maxWaitMs: -1 }, 'maxWaitMs', 'a number ≥ 0', '-1'],
    [{ adaptive: { targetPerSecond: 0 } }, 'adaptive.targetPerSecond', 'a positive number', '0'],
    [{ size: 2, scheduler: {} }, 'scheduler', 'a SchedulerLike (with now() and schedule())', '{}'],
  ])('bad configuration %j fails when the operator is created, with a ConfigError naming path, expected and got', (config, path, expected, got) => {
    expect(() => bufferChunks(config as never)).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: `Invalid bufferChunks config: ${path}: expected ${expected}, got ${got}`, issues: [{ path, expected, got }] }),
    );
  });

  test('no limit on the group size (Infinity) is a configuration, with maxWaitMs', () => {
    expect(() => bufferChunks({ size: Infinity, maxWaitMs: 5 })).not.toThrow();
    // alone, no limit would hold every chunk until the end
    expect(() => bufferChunks({ size: Infinity })).toThrow(/\(root\): expected a size, maxWaitMs or adaptive/);
    expect(() => bufferChunks(Infinity)).toThrow(ConfigError);
  });

  test('property: for random chunks, timings and settings, the output assembles to the input, also when the source errors', () => {
    const settings = fc.record({
      size: fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
      maxWaitMs: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
      target: fc.option(fc.integer({ min: 50, max: 2000 }), { nil: undefined }),
    });
    const pieces = fc.array(
      fc.record({ gap: fc.integer({ min: 0, max: 5 }), content: fc.string({ maxLength: 4 }), reasoning: fc.string({ maxLength: 2 }), tool: fc.boolean() }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(settings, pieces, fc.boolean(), ({ size, maxWaitMs, target }, input, fails) => {
        if (size === undefined && maxWaitMs === undefined && target === undefined) size = 3;
        const chunks = input.map((p, i) =>
          chunk(i, p.content, { reasoning: p.reasoning || undefined, toolCalls: p.tool ? [{ index: 0, argumentsDelta: String(i) }] : undefined }),
        );
        const test = new TestScheduler((a, b) => expect(a).toEqual(b));
        test.run(({ cold }) => {
          let marble = '';
          const values: Record<string, Chunk> = {};
          chunks.forEach((c, i) => {
            const key = String.fromCharCode(0x4e00 + i);
            values[key] = c;
            marble += '-'.repeat(input[i].gap) + key;
          });
          marble += fails ? '-#' : '-|';
          const out: Chunk[] = [];
          let ended = '';
          cold(marble, values, new Error('cut'))
            .pipe(bufferChunks({ size, maxWaitMs, adaptive: target ? { targetPerSecond: target } : undefined, scheduler: test }))
            .subscribe({ next: (c) => out.push(c), error: () => (ended = 'error'), complete: () => (ended = 'complete') });
          test.flush();
          const whole = createResponseAccumulator();
          chunks.forEach((c) => whole.add(c));
          const grouped = createResponseAccumulator();
          out.forEach((c) => grouped.add(c));
          expect(ended).toBe(fails ? 'error' : 'complete');
          expect(grouped.snapshot()).toEqual(whole.snapshot());
          expect(out.map((c) => c.seq)).toEqual(out.map((_, i) => i));
          if (size !== undefined) expect(out.every((c) => (c.toolCalls?.length ?? 0) <= size!)).toBe(true);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the configuration codecs of the operators entry', () => {
  test('check a configuration that comes from a file, with the issues bufferChunks would report', () => {
    const fromFile: unknown = JSON.parse('{ "size": 0, "maxWaitMs": 50 }');
    const decoded = BufferChunksConfig.decode(fromFile);
    expect(decoded._tag).toBe('Left');
    expect(BufferChunksConfig.is({ maxWaitMs: 50 })).toBe(true);
    expect(RecoverStreamConfig.is({ strategy: 'sentence', maxRetries: 2 })).toBe(true);
    expect(RecoverStreamConfig.decode({ strategy: 'word' })._tag).toBe('Left');
    expect(TrackMetricsConfig.is({ intervalMs: 250 })).toBe(false); // neither onMetrics nor metrics$
    expect(ValidateChunkConfig.is({ onInvalid: 'drop' })).toBe(true);
  });
});
