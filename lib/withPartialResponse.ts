import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { isRxllmError } from './errors/rxllmError';
import { createResponseAccumulator } from './responseAccumulator';
import type { Chunk } from './types/chunk';

/**
 * Folds the chunks that pass into an answer and, when the stream fails with an rxllm error that has
 * no `partial` yet, sets it: the error then says what the subscriber had received.
 */
export function withPartialResponse(): MonoTypeOperatorFunction<Chunk> {
  return (source) =>
    new Observable<Chunk>((subscriber) => {
      const accumulator = createResponseAccumulator();
      return source.subscribe({
        next(chunk) {
          accumulator.add(chunk);
          subscriber.next(chunk);
        },
        error(error: unknown) {
          if (isRxllmError(error) && error.partial === undefined) error.partial = accumulator.snapshot();
          subscriber.error(error);
        },
        complete() {
          subscriber.complete();
        },
      });
    });
}
