import { defer, map, reduce, type OperatorFunction } from 'rxjs';
import { createResponseAccumulator, type ResponseAccumulator } from '../lib/responseAccumulator';
import { toAssistantMessage } from '../lib/toAssistantMessage';
import { toolResultMessage } from '../lib/toolResultMessage';
import type { ChatMessage } from '../lib/types/chatMessage';
import type { Chunk } from '../lib/types/chunk';

/**
 * The turns a stream adds to the conversation, once it completes: for a run of tools that run
 * themselves (`maxSteps`), each step's assistant turn (`toAssistantMessage`: its text, tool calls,
 * thinking blocks and signatures) followed by its tool results (`tool` turns, in the order of the
 * calls); for an ordinary stream, its one assistant turn. Append them to the messages to go on with
 * the conversation — exactly what the run itself sent between its steps.
 *
 * ```
 * chunks:   --a--c--rx--ry--d--(e|)     (step 0: a, c + results rx, ry; step 1: d, e)
 * toMessages()
 * turns:    -------------------([A0, X, Y, A1]|)
 * ```
 *
 * @example
 * const turns = await lastValueFrom(streamChat$('openai', messages, { tools, maxSteps: 5 }).pipe(toMessages()));
 * messages.push(...turns, { role: 'user', content: 'And tomorrow?' });
 * @see toResponse
 */
export function toMessages(): OperatorFunction<Chunk, ChatMessage[]> {
  return (source) =>
    defer(() => {
      const turns: ChatMessage[] = [];
      let step: number | undefined;
      let fold: ResponseAccumulator | undefined;
      let results: Array<{ index: number; message: ChatMessage }> = [];
      // a step's turns go out when the next step begins, or at the end
      const close = () => {
        if (fold) {
          const response = fold.snapshot();
          if (response.content !== '' || response.toolCalls.length > 0 || results.length > 0) turns.push(toAssistantMessage(response));
        }
        turns.push(...results.sort((a, b) => a.index - b.index).map((r) => r.message));
        fold = undefined;
        results = [];
      };
      return source.pipe(
        reduce((_, chunk) => {
          const at = chunk.metadata?.step;
          if (at !== step) {
            close();
            step = at;
          }
          const result = chunk.metadata?.toolResult;
          if (result) results.push({ index: result.index, message: toolResultMessage(result) });
          else (fold ??= createResponseAccumulator()).add(chunk);
          return turns;
        }, turns),
        map(() => (close(), turns)),
      );
    });
}
