import { Observable, Subject, takeUntil, type MonoTypeOperatorFunction, type TeardownLogic } from 'rxjs';
import type { Chunk } from './types/chunk';

/** What a stateful chunk operator writes to; one per subscription. */
export interface ChunkOutput {
  /**
   * Sends a chunk on as the next one: `seq` is set to the next number, by a copy only when the
   * chunk does not already carry it (a stage that passes every chunk one for one copies none).
   * Returns the chunk as sent.
   */
  next(chunk: Chunk): Chunk;
  /** The `seq` the next chunk sent gets (for an operator that builds a chunk with it, to spare `next` a copy). */
  readonly seq: number;
  /**
   * A chunk the operator makes itself: the stream's real `provider`, `id` and `model` (the latest
   * the operator saw; before any chunk, the operator's fallback provider), `bytes: 0` unless
   * `fields` say otherwise, and `fields`. It is not sent: pass it to `next`.
   */
  synthetic(fields?: Omit<Partial<Chunk>, 'provider' | 'seq'>): Chunk;
  /** Ends the stream now (nothing is flushed), e.g. a check that decided the answer is over. */
  complete(): void;
  /** Ends the stream with an error now (nothing is flushed). */
  error(error: unknown): void;
  /** Whether the subscriber is gone or the stream ended: nothing more will be delivered. */
  readonly closed: boolean;
  /** Frees something when the subscription ends, however it ends (a timer, a side request). */
  add(teardown: TeardownLogic): void;
}

/** The body of a stateful chunk operator, made fresh for each subscription by `chunkOperator`'s `setup`. */
export interface ChunkStep {
  /** Each chunk of the source: send on 0, 1 or more chunks with `out.next`. A throw errors the stream (after `flush`). */
  step(chunk: Chunk): void;
  /** What is held goes out: called before any error (the held chunks, then the error) and, unless `end` is given, at the source's completion. */
  flush?(): void;
  /**
   * At the source's completion, instead of `flush` and completing: for an operator that says more
   * only at a normal end (a report on the last chunk), or must still wait for something (a check
   * in flight). It calls `out.complete()` itself when it is done. A throw errors the stream.
   */
  end?(): void;
}

export interface ChunkOperatorOptions {
  /** the `provider` of a synthetic chunk made before any chunk was seen (default `'unknown'`) */
  provider?: string;
}

/**
 * The one recipe for a stateful `Chunk` operator (a stage that holds, adds, drops or marks chunks):
 * `setup(out)` runs once per subscription and returns the step; the recipe does the rest the same
 * way for every such operator —
 * - `seq` numbered again only where needed (a copy only when a chunk's number changed);
 * - synthetic chunks carry the stream's real provider, id and model;
 * - held state flushed at completion **and before an error** (the held chunks, then the error), also
 *   when `step` itself throws;
 * - one subscription to the source, tied to the subscriber before it runs: an unsubscribe in the
 *   middle of a synchronous firehose (a `take` downstream) stops the source at once, and no chunk
 *   costs a subscription, so 100,000 synchronous chunks use no stack.
 *
 * ```
 * chunks:   --a--b--c--|
 * chunkOperator(() => ({ step: (c) => c !== b && out.next(c), flush: () => out.next(out.synthetic({ content: '!' })) }))
 * chunks:   --a-----c--(x|)        (c.seq = 1, x: synthetic, seq 2)
 * ```
 *
 * @example
 * // marks every chunk after the 10th, and says how many there were at the end
 * const counted = chunkOperator((out) => {
 *   let n = 0;
 *   return {
 *     step: (chunk) => out.next(++n > 10 ? { ...chunk, metadata: { ...chunk.metadata, late: true } } : chunk),
 *     flush: () => out.next(out.synthetic({ metadata: { chunks: n } })),
 *   };
 * });
 *
 * @param setup builds the step of one subscription
 * @param options the fallback provider of synthetic chunks
 */
export function chunkOperator(setup: (out: ChunkOutput) => ChunkStep, options: ChunkOperatorOptions = {}): MonoTypeOperatorFunction<Chunk> {
  const fallbackProvider = options.provider ?? 'unknown';
  return (source) =>
    new Observable<Chunk>((subscriber) => {
      let seq = 0;
      let provider: string | undefined;
      let id: string | undefined;
      let model: string | undefined;
      const out: ChunkOutput = {
        next(chunk) {
          const sent = chunk.seq === seq ? (seq++, chunk) : { ...chunk, seq: seq++ };
          subscriber.next(sent);
          return sent;
        },
        get seq() {
          return seq;
        },
        synthetic(fields) {
          const chunk: Chunk = { provider: provider ?? fallbackProvider, seq, bytes: 0 };
          if (id !== undefined) chunk.id = id;
          if (model !== undefined) chunk.model = model;
          return fields ? Object.assign(chunk, fields) : chunk;
        },
        complete: () => subscriber.complete(),
        error: (error) => subscriber.error(error),
        get closed() {
          return subscriber.closed;
        },
        add: (teardown) => subscriber.add(teardown),
      };
      const body = setup(out);
      const { step, flush, end } = body;

      /** held state out, then the error; a flush that throws reports its own error instead */
      const fail = (error: unknown) => {
        if (subscriber.closed) return;
        if (flush) {
          try {
            flush.call(body);
          } catch (flushError) {
            subscriber.error(flushError);
            return;
          }
        }
        subscriber.error(error);
      };

      // tied to the subscriber before the source runs (the public way to do what RxJS's own
      // operators get from internals): an unsubscribe during a synchronous emission stops the source
      const stop$ = new Subject<void>();
      subscriber.add(() => stop$.next());
      source.pipe(takeUntil(stop$)).subscribe({
        next(chunk) {
          if (subscriber.closed) return;
          provider ??= chunk.provider;
          if (chunk.id !== undefined) id = chunk.id;
          if (chunk.model !== undefined) model = chunk.model;
          try {
            step.call(body, chunk);
          } catch (error) {
            fail(error);
          }
        },
        error: fail,
        complete() {
          if (subscriber.closed) return;
          try {
            if (end) end.call(body);
            else {
              flush?.call(body);
              subscriber.complete();
            }
          } catch (error) {
            subscriber.error(error);
          }
        },
      });
    });
}
