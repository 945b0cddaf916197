import * as t from 'io-ts';
import { asyncScheduler, type MonoTypeOperatorFunction, type Subscription } from 'rxjs';
import { chunkOperator } from '../lib/chunkOperator';
import { checkConfig } from '../lib/codec/checkConfig';
import { NonNegativeNumber, PositiveNumber, refined, Scheduler } from '../lib/codec/readable';
import { refineObject } from '../lib/codec/refineObject';
import type { Chunk } from '../lib/types/chunk';
import { coalesceChunks } from './coalesceChunks';

/** A group size: a whole number ≥ 1, or `Infinity` for no limit (also the number form of the `bufferChunks` option of `streamChat$`). */
export const GroupSize = refined(t.number, 'a whole number ≥ 1', (n) => n === Infinity || (Number.isInteger(n) && n >= 1));

/**
 * The configuration of `bufferChunks` (also the `bufferChunks` option of `streamChat$`): at least
 * one of `size`, `maxWaitMs` and `adaptive`, or the chunks would wait for the end.
 */
export const BufferChunksConfig = refineObject(
  t.partial({
    /** at most this many chunks in one group (default: no limit when `maxWaitMs` or `adaptive` is set, else required) */
    size: GroupSize,
    /** a group is let out at the latest this many ms after its first chunk arrived */
    maxWaitMs: NonNegativeNumber,
    /** at most `targetPerSecond` groups a second, however fast the chunks come: a UI re-renders that often at most */
    adaptive: t.type({ targetPerSecond: PositiveNumber }),
    /** the timer (default `asyncScheduler`; a `TestScheduler` in marble tests) */
    scheduler: Scheduler,
  }, '{ size?, maxWaitMs?, adaptive?, scheduler? }'),
  (config) =>
    (config.size === undefined || config.size === Infinity) && config.maxWaitMs === undefined && config.adaptive === undefined
      ? { expected: 'a size, maxWaitMs or adaptive: { targetPerSecond } (else the chunks would wait for the end)' }
      : undefined,
);
export type BufferChunksConfig = t.TypeOf<typeof BufferChunksConfig>;

/**
 * Coalesces runs of consecutive chunks into one (see `coalesceChunks`: text concatenated, tool-call
 * fragments kept in order, the last finish reason and usage kept). A group is let out when it has
 * `size` chunks, when `maxWaitMs` has passed since its first chunk, when the `adaptive` rate allows
 * — and always at completion and before an error, so not one character is lost. In a run of tools
 * that run themselves, a group holds chunks of one step only, and a tool result goes alone.
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
 * @throws ConfigError when the configuration is not one (`Invalid bufferChunks config: size: expected a whole number ≥ 1, got 0`)
 */
export function bufferChunks(config: number | BufferChunksConfig): MonoTypeOperatorFunction<Chunk> {
  const checked = checkConfig(BufferChunksConfig, typeof config === 'number' ? { size: config } : config, 'bufferChunks config');
  const { size = Infinity, maxWaitMs, adaptive, scheduler = asyncScheduler } = checked;
  const target = adaptive?.targetPerSecond;
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
        // a tool result goes alone, and the chunks of two steps of a tool run are never one
        const meta = chunk.metadata;
        if (meta !== undefined && run.length > 0 && (meta.toolResult !== undefined || meta.step !== run[0].metadata?.step)) take();
        run.push(chunk);
        if (meta?.toolResult !== undefined) return take();
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
