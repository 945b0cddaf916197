import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { isRxllmError } from '../lib/errors/rxllmError';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import type { Chunk } from '../lib/types/chunk';

/**
 * Folds the chunks that pass into an answer and, when the stream fails with an rxllm error that has
 * no `partial` yet, sets it: the error then says what the subscriber had received.
 */
export function withPartialResponse(): MonoTypeOperatorFunction<Chunk> {
  return (source) =>
    defer(() => {
      const accumulator = createResponseAccumulator();
      return source.pipe(
        tap({
          next: (chunk) => accumulator.add(chunk),
          error: (error: unknown) => {
            if (isRxllmError(error) && error.partial === undefined) error.partial = accumulator.snapshot();
          },
        }),
      );
    });
}
