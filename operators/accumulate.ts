import { defer, map, type OperatorFunction } from 'rxjs';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { Chunk } from '../lib/types/chunk';

/**
 * The answer so far after every chunk: what a chat UI renders while the model writes.
 *
 * ```
 * chunks:   --a----b------c--|     (content 'He', 'll', 'o')
 * accumulate()
 * answers:  --A----B------C--|     (content 'He', 'Hell', 'Hello')
 * ```
 *
 * @example
 * streamChat$('openai', messages).pipe(accumulate()).subscribe((answer) => render(answer.content));
 * @see toResponse
 */
export function accumulate(): OperatorFunction<Chunk, ChatResponse> {
  return (source) =>
    defer(() => {
      const accumulator = createResponseAccumulator();
      return source.pipe(
        map((chunk) => {
          accumulator.add(chunk);
          return accumulator.snapshot();
        }),
      );
    });
}
