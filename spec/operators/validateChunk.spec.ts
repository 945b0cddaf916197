import { from, Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { trackMetrics, validateChunk, type StreamMetrics } from '../../operators';
import { isChunkValidationError, type Chunk, type ChatResponse } from '../../lib';

const chunk = (seq: number, content: string, bytes = 10): Chunk => ({ provider: 'openai', seq, bytes, content });
const noDigits = (c: Chunk) => !/\d/.test(c.content ?? '') || 'digits are not allowed';

describe('validateChunk', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test("'error': the first invalid chunk ends the stream with ChunkValidationError carrying reason, chunk and partial", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'He'), b: chunk(1, 'llo 42'), c: chunk(2, '!') });
      let error: any;
      const out = source.pipe(validateChunk(noDigits));
      out.subscribe({ error: (e) => (error = e) });
      expectObservable(out).toBe('-a-#', { a: chunk(0, 'He') }, expect.anything());
      expectSubscriptions(source.subscriptions).toBe(['^--!', '^--!']);
      scheduler.flush();
      expect(isChunkValidationError(error)).toBe(true);
      expect(error.reason).toBe('digits are not allowed');
      expect(error.chunk).toEqual(chunk(1, 'llo 42'));
      expect((error.partial as ChatResponse).content).toBe('He');
    });
  });

  test("'drop': invalid chunks are dropped, and the next chunk reports them with their bytes", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'x'), b: chunk(1, '1', 7), c: chunk(2, 'y') });
      expectObservable(source.pipe(validateChunk(noDigits, { onInvalid: 'drop' }))).toBe('-a---c-|', {
        a: chunk(0, 'x'),
        c: { ...chunk(1, 'y'), bytes: 17, metadata: { validationDropped: 1 } },
      });
    });
  });

  test("'drop' at the very end: one last chunk without content reports the drops", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: chunk(0, 'x'), b: chunk(1, '1', 5), c: chunk(2, '2', 6) });
      expectObservable(source.pipe(validateChunk(noDigits, { onInvalid: 'drop' }))).toBe('-a----(z|)', {
        a: chunk(0, 'x'),
        z: { provider: 'openai', seq: 1, bytes: 11, metadata: { validationDropped: 2 } },
      });
    });
  });

  test('dropped chunks are visible in metrics.errors, never silent', () => {
    const seen: StreamMetrics[] = [];
    from([chunk(0, 'a'), chunk(1, '1'), chunk(2, 'b'), chunk(3, '2')])
      .pipe(validateChunk(noDigits, { onInvalid: 'drop' }), trackMetrics({ onMetrics: (m) => seen.push(m) }))
      .subscribe();
    const last = seen[seen.length - 1];
    expect(last.errors).toBe(2);
    expect(last.bytesReceived).toBe(40);
  });

  test('undefined and true are valid; false has a default reason', () => {
    let error: any;
    from([chunk(0, 'a'), chunk(1, 'b'), chunk(2, 'c')])
      .pipe(validateChunk((c) => (c.seq === 0 ? undefined : c.seq === 1 ? true : false)))
      .subscribe({ error: (e) => (error = e) });
    expect(error.reason).toBe('invalid chunk');
    expect(error.partial.content).toBe('ab');
  });

  test('an early unsubscribe reaches the source; a synchronous firehose cut by take stops it', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'x'), b: chunk(1, 'y'), c: chunk(2, 'z') });
      expectObservable(source.pipe(validateChunk(noDigits)), '^--!').toBe('-a-', { a: chunk(0, 'x') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 1000 && !s.closed; i++) (produced++, s.next(chunk(i, 'x')));
    });
    firehose.pipe(validateChunk(noDigits), take(2)).subscribe();
    expect(produced).toBe(2);
  });

  test('bad configuration fails when the operator is created', () => {
    expect(() => validateChunk(5 as never)).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'fn', expected: 'a function (chunk) => true | undefined | false | reason', got: '5' }] }),
    );
    expect(() => validateChunk(noDigits, { onInvalid: 'ignore' as never })).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: `Invalid validateChunk config: onInvalid: expected 'error' or 'drop', got "ignore"`,
        issues: [{ path: 'onInvalid', expected: "'error' or 'drop'", got: '"ignore"' }],
      }),
    );
  });
});
