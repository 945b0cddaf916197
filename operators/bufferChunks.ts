import { asyncScheduler, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { chunkOperator } from '../lib/chunkOperator';
import type { Chunk } from '../lib/types/chunk';
import { coalesceChunks } from './coalesceChunks';

export interface BufferChunksConfig {
  /** at most this many chunks in one group (default: no limit when `maxWaitMs` or `adaptive` is set, else required) */
  size?: number;
  /** a group is let out at the latest this many ms after its first chunk arrived */
  maxWaitMs?: number;
  /** at most `targetPerSecond` groups a second, however fast the chunks come: a UI re-renders that often at most */
  adaptive?: { targetPerSecond: number };
  /** the timer (default `asyncScheduler`; a `TestScheduler` in marble tests) */
  scheduler?: SchedulerLike;
}

/**
 * Coalesces runs of consecutive chunks into one (see `coalesceChunks`: text concatenated, tool-call
 * fragments kept in order, the last finish reason and usage kept). A group is let out when it has
 * `size` chunks, when `maxWaitMs` has passed since its first chunk, when the `adaptive` rate allows
 * — and always at completion and before an error, so not one character is lost.
 *
 * ```
 * chunks:   -a-b-c-d-e-|
 * bufferChunks(2)
 * groups:   ---x---y---(z|)     (x = a+b, y = c+d, z = e)
 * bufferChunks({ size: 10, maxWaitMs: 3 })
 * groups:   ----x---y---(z|)    (each group at most 3 ms after its first chunk)
 * ```
 *
 * @example
 * streamChat$('openai', messages).pipe(bufferChunks({ adaptive: { targetPerSecond: 20 } })).subscribe(render);
 *
 * @param config a group size, or `{ size, maxWaitMs, adaptive }`
 */
export function bufferChunks(config: number | BufferChunksConfig): MonoTypeOperatorFunction<Chunk> {
  const { size = Infinity, maxWaitMs, adaptive, scheduler = asyncScheduler } = typeof config === 'number' ? { size: config } : config ?? {};
  if (size !== Infinity && !(Number.isInteger(size) && size >= 1)) throw new TypeError(`bufferChunks: size must be a whole number ≥ 1, got ${String(size)}`);
  if (maxWaitMs !== undefined && !(typeof maxWaitMs === 'number' && maxWaitMs >= 0 && Number.isFinite(maxWaitMs))) {
    throw new TypeError(`bufferChunks: maxWaitMs must be a number of ms ≥ 0, got ${String(maxWaitMs)}`);
  }
  const target = adaptive?.targetPerSecond;
  if (adaptive !== undefined && !(typeof target === 'number' && target > 0 && Number.isFinite(target))) {
    throw new TypeError(`bufferChunks: adaptive.targetPerSecond must be a positive number, got ${String(target)}`);
  }
  if (size === Infinity && maxWaitMs === undefined && adaptive === undefined) {
    throw new TypeError('bufferChunks: pass a size, maxWaitMs or adaptive: { targetPerSecond }, or the chunks would wait for the end');
  }
  const minGapMs = target === undefined ? undefined : 1000 / target;

  return chunkOperator((out) => {
    let run: Chunk[] = [];
    let lastFlushAt = -Infinity;
    let timer: Subscription | undefined;
    out.add(() => {
      timer?.unsubscribe();
      timer = undefined;
      run = [];
    });

    const take = (): void => {
      const group = coalesceChunks(run, out.seq);
      run = [];
      timer?.unsubscribe();
      timer = undefined;
      if (minGapMs !== undefined) lastFlushAt = scheduler.now();
      out.next(group);
    };
    const flushLater = (delay: number) => {
      timer ??= scheduler.schedule(() => {
        timer = undefined;
        if (run.length > 0) take();
      }, delay);
    };

    return {
      step(chunk) {
        run.push(chunk);
        if (run.length >= size) return take();
        if (minGapMs !== undefined) {
          const wait = lastFlushAt + minGapMs - scheduler.now();
          if (wait <= 0 && run.length === 1) return take();
          flushLater(maxWaitMs === undefined ? Math.max(0, wait) : Math.min(Math.max(0, wait), maxWaitMs));
        } else if (maxWaitMs !== undefined) {
          flushLater(maxWaitMs);
        }
      },
      // the rest goes out at completion, and before an error
      flush() {
        if (run.length > 0) take();
      },
    };
  });
}
