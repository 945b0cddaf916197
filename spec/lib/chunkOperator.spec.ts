import { from, Observable, range, map, take, toArray, lastValueFrom } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { chunkOperator } from '../../lib/chunkOperator';
import type { Chunk } from '../../lib';

const chunk = (seq: number, content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'anthropic', model: 'claude-x', id: 'msg_1', seq, bytes: 1, content, ...extra });

/** Holds text until a chunk ends with '.', then sends it on the chunk that completed it; a synthetic chunk with the rest at the end. */
const sentences = () =>
  chunkOperator((out) => {
    let held = '';
    return {
      step(c) {
        held += c.content ?? '';
        if (!held.endsWith('.')) return;
        out.next({ ...c, content: held });
        held = '';
      },
      flush() {
        if (held) out.next(out.synthetic({ content: held }));
        held = '';
      },
    };
  });

describe('chunkOperator', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('renumbers seq without gaps; held state goes out at completion on a synthetic chunk with the stream’s provider, id and model', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'One'), b: chunk(1, ' two.'), c: chunk(2, ' Th') });
      expectObservable(source.pipe(sentences())).toBe('---b---(x|)', {
        b: chunk(0, 'One two.'),
        x: { provider: 'anthropic', id: 'msg_1', model: 'claude-x', seq: 1, bytes: 0, content: ' Th' },
      });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  test('held state goes out before an error, then the error', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const boom = new Error('reset');
      expectObservable(cold('-a-b-#', { a: chunk(0, 'One.'), b: chunk(1, ' Tw') }, boom).pipe(sentences())).toBe(
        '-a---(x#)',
        { a: chunk(0, 'One.'), x: { provider: 'anthropic', id: 'msg_1', model: 'claude-x', seq: 1, bytes: 0, content: ' Tw' } },
        boom,
      );
    });
  });

  test('a throw in step flushes what is held, then errors the stream and unsubscribes the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const boom = new Error('bad chunk');
      const source = cold('-a-b-c-|', { a: chunk(0, 'Hel'), b: chunk(1, 'lo'), c: chunk(2, '.') });
      const op = chunkOperator((out) => {
        let held = '';
        return {
          step(c) {
            if (c.seq === 1) throw boom;
            held += c.content;
          },
          flush: () => void out.next(out.synthetic({ content: held })),
        };
      });
      expectObservable(source.pipe(op)).toBe('---(x#)', { x: { provider: 'anthropic', id: 'msg_1', model: 'claude-x', seq: 0, bytes: 0, content: 'Hel' } }, boom);
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('before any chunk, a synthetic chunk carries the fallback provider', async () => {
    const op = chunkOperator((out) => ({ step: () => undefined, end: () => (out.next(out.synthetic({ metadata: { empty: true } })), out.complete()) }), { provider: 'openai' });
    await expect(lastValueFrom(from([] as Chunk[]).pipe(op, toArray()))).resolves.toEqual([{ provider: 'openai', seq: 0, bytes: 0, metadata: { empty: true } }]);
  });

  test('end() replaces flush at completion and decides when the stream completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const op = chunkOperator((out) => ({
        step: (c) => void out.next(c),
        flush: () => void out.next(out.synthetic({ content: 'flushed' })),
        end: () => void scheduler.schedule(() => (out.next(out.synthetic({ content: 'late' })), out.complete()), 3),
      }));
      expectObservable(cold('-a-|', { a: chunk(0, 'x') }).pipe(op)).toBe('-a----(l|)', {
        a: chunk(0, 'x'),
        l: { provider: 'anthropic', id: 'msg_1', model: 'claude-x', seq: 1, bytes: 0, content: 'late' },
      });
    });
  });

  test('a chunk that already has the next seq goes on as the same object; one that does not is copied, never changed', async () => {
    const chunks = [chunk(0, 'a'), chunk(1, 'b'), chunk(5, 'c')];
    const out = await lastValueFrom(from(chunks).pipe(chunkOperator((o) => ({ step: (c) => void o.next(c) })), toArray()));
    expect(out[0]).toBe(chunks[0]);
    expect(out[1]).toBe(chunks[1]);
    expect(out[2]).not.toBe(chunks[2]);
    expect(out[2]).toEqual({ ...chunks[2], seq: 2 });
    expect(chunks[2].seq).toBe(5);
  });

  test('an early unsubscribe reaches the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, 'x.'), b: chunk(1, 'y.'), c: chunk(2, 'z.') });
      expectObservable(source.pipe(sentences()), '^--!').toBe('-a-', { a: chunk(0, 'x.') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take stops at once', () => {
    let produced = 0;
    const firehose = new Observable<Chunk>((subscriber) => {
      for (let i = 0; i < 1_000_000 && !subscriber.closed; i++) {
        produced++;
        subscriber.next(chunk(i, 'w.'));
      }
      subscriber.complete();
    });
    const seen: Chunk[] = [];
    firehose.pipe(sentences(), take(3)).subscribe((c) => seen.push(c));
    expect(seen.map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(produced).toBe(3);
  });

  test('100,000 synchronous chunks pass without growing the stack, in order', async () => {
    const marks = chunkOperator((out) => {
      let n = 0;
      return { step: (c) => void out.next(++n % 2 ? c : { ...c, metadata: { even: true } }), flush: () => void out.next(out.synthetic({ metadata: { count: n } })) };
    });
    const out = await lastValueFrom(range(0, 100_000).pipe(map((i) => chunk(i, 'w')), marks, toArray()));
    expect(out).toHaveLength(100_001);
    expect(out.every((c, i) => c.seq === i)).toBe(true);
    expect(out[100_000].metadata).toEqual({ count: 100_000 });
  });
});
