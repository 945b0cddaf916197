import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { Chunk } from './types/chunk';

/**
 * Calls `leave` with the last checkpoint the chunks carried (`metadata.continuationToken`) when the
 * subscriber leaves before the stream completed or failed — for a provider whose stream runs on at the
 * server without a reader and is cancelled by a side request (the Responses API's background
 * responses, a relay that keeps its streams). Nothing when no chunk carried a checkpoint: what was
 * never heard of cannot be cancelled. The chunks pass unchanged.
 *
 * ```
 * chunks:      --a--b--c--|
 * subscriber:  --a--b--^        (unsubscribes)
 * side:                 leave(b's token)
 * ```
 */
export function onLeaveAfterCheckpoint(leave: (token: string) => void): MonoTypeOperatorFunction<Chunk> {
  return (source) =>
    defer(() => {
      let token: string | undefined;
      return source.pipe(
        tap({
          next(chunk) {
            const checkpoint = chunk.metadata?.continuationToken;
            if (typeof checkpoint === 'string') token = checkpoint;
          },
          // called only when the subscriber leaves before the stream completed or failed
          unsubscribe() {
            if (token !== undefined) leave(token);
          },
        }),
      );
    });
}
