import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { SharedAnswer } from '../lib/answerFold';
import { isRxllmError } from '../lib/errors/rxllmError';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { Chunk } from '../lib/types/chunk';

/**
 * When the stream fails with an rxllm error that has no `partial` yet, sets it: the error then says
 * what the subscriber had received. The answer is `answer`'s, when the stages above fold it
 * already (`streamChat$` folds it once, see `SharedAnswer`); else this stage folds the chunks that pass.
 */
export function withPartialResponse(answer?: SharedAnswer): MonoTypeOperatorFunction<Chunk> {
  const attach = (error: unknown, read: () => ChatResponse) => {
    if (isRxllmError(error) && error.partial === undefined) error.partial = read();
  };
  if (answer) return tap({ error: (error: unknown) => attach(error, () => answer.fold.snapshot()) });
  return (source) =>
    defer(() => {
      const fold = createResponseAccumulator();
      return source.pipe(tap({ next: (chunk) => fold.add(chunk), error: (error: unknown) => attach(error, () => fold.snapshot()) }));
    });
}
