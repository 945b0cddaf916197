import { from, map, Observable, take } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { transformChunk } from '../../operators';
import type { Chunk } from '../../lib';

const chunk = (seq: number, content: string): Chunk => ({ provider: 'openai', seq, bytes: 1, content });

describe('transformChunk', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('rewrites chunks, drops those mapped to null, and numbers the rest without gaps', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'x'), b: chunk(1, 'drop'), c: chunk(2, 'y') });
      const out = source.pipe(transformChunk((c) => (c.content === 'drop' ? null : { ...c, content: c.content!.toUpperCase() })));
      expectObservable(out).toBe('-a---c-|', { a: chunk(0, 'X'), c: chunk(1, 'Y') });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  test('a throw errors the stream; an error passes through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const boom = new Error('boom');
      expectObservable(cold('-a-b-|', { a: chunk(0, 'x'), b: chunk(1, 'y') }).pipe(transformChunk((c) => { if (c.seq === 1) throw boom; return c; }))).toBe(
        '-a-#',
        { a: chunk(0, 'x') },
        boom,
      );
      expectObservable(cold('-a-#', { a: chunk(0, 'x') }).pipe(transformChunk((c) => c))).toBe('-a-#', { a: chunk(0, 'x') });
    });
  });

  test('an early unsubscribe reaches the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'x'), b: chunk(1, 'y'), c: chunk(2, 'z') });
      expectObservable(source.pipe(transformChunk((c) => c)), '^--!').toBe('-a-', { a: chunk(0, 'x') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take stops the source', () => {
    let produced = 0;
    const firehose = new Observable<Chunk>((subscriber) => {
      for (let i = 0; i < 1000 && !subscriber.closed; i++) {
        produced++;
        subscriber.next(chunk(i, 'x'));
      }
    });
    const seen: number[] = [];
    firehose.pipe(transformChunk((c) => c), take(3)).subscribe((c) => seen.push(c.seq));
    expect(seen).toEqual([0, 1, 2]);
    expect(produced).toBe(3);
  });

  test('returning undefined (a forgotten return) is an error, not a silent drop', () => {
    let error: unknown;
    from([chunk(0, 'x')]).pipe(transformChunk((() => undefined) as never)).subscribe({ error: (e) => (error = e) });
    expect((error as Error).message).toMatch(/returned undefined for chunk 0; return a chunk, or null to drop it/);
  });

  test('bad configuration fails when the operator is created', () => {
    expect(() => transformChunk('upper' as never)).toThrow(
      expect.objectContaining({
        name: 'ConfigError',
        message: 'Invalid transformChunk arguments: fn: expected a function (chunk) => Chunk | null, got "upper"',
        issues: [{ path: 'fn', expected: 'a function (chunk) => Chunk | null', got: '"upper"' }],
      }),
    );
    void map;
  });
});
