import { defer, map, reduce, type OperatorFunction } from 'rxjs';
import { createResponseAccumulator } from '../lib/responseAccumulator';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { Chunk } from '../lib/types/chunk';

/**
 * One `ChatResponse` when the stream completes: the whole text, reasoning, tool calls with parsed
 * arguments, citations, finish reason and usage. An error passes through unchanged.
 *
 * ```
 * chunks:   --a----b------c--|
 * toResponse()
 * answer:   -----------------(R|)
 * ```
 *
 * @example
 * const answer = await lastValueFrom(streamChat$('openai', messages).pipe(toResponse()));
 * @see accumulate
 */
export function toResponse(): OperatorFunction<Chunk, ChatResponse> {
  return (source) =>
    defer(() =>
      source.pipe(
        reduce((accumulator, chunk) => (accumulator.add(chunk), accumulator), createResponseAccumulator()),
        map((accumulator) => accumulator.snapshot()),
      ),
    );
}
