import type { MonoTypeOperatorFunction } from 'rxjs';
import type { AnswerFold, SharedAnswer } from '../lib/answerFold';
import { chunkOperator } from '../lib/chunkOperator';
import type { Chunk } from '../lib/types/chunk';

/**
 * Rewrites each chunk with `fn`: return the chunk (changed or new), or `null` to drop it. A throw
 * errors the stream. Chunks that pass are numbered again (`seq` 0, 1, 2, …) when a drop left a gap.
 *
 * ```
 * chunks:   --a--b--c--|
 * transformChunk((c) => (c === b ? null : upper(c)))
 * chunks:   --A-----C--|
 * ```
 *
 * @example
 * streamChat$('openai', messages).pipe(
 *   transformChunk((chunk) => (chunk.content ? { ...chunk, content: chunk.content.replace(/\bAI\b/g, 'A.I.') } : chunk)),
 * );
 *
 * @param fn `(chunk) => Chunk | null`; returning `undefined` is an error (a forgotten `return` must not lose text)
 * @see validateChunk
 */
export function transformChunk(fn: (chunk: Chunk) => Chunk | null): MonoTypeOperatorFunction<Chunk> {
  if (typeof fn !== 'function') throw new TypeError('transformChunk: pass a function (chunk) => chunk | null');
  return transformChunkSharing(fn, undefined);
}

/**
 * `transformChunk` (its argument checked by it) inside `streamChat$`, where the answer is folded once (`SharedAnswer`): the
 * first chunk the function changes or drops forks the answer, and the fork goes on with what this
 * stage sends.
 */
export function transformChunkSharing(fn: (chunk: Chunk) => Chunk | null, answer: SharedAnswer | undefined): MonoTypeOperatorFunction<Chunk> {
  return chunkOperator((out) => {
    let mine: AnswerFold | undefined;
    return {
      step(chunk) {
        const next = fn(chunk);
        if (next !== null && (next === undefined || typeof next !== 'object')) {
          throw new TypeError(`transformChunk: the function returned ${next === undefined ? 'undefined' : typeof next} for chunk ${chunk.seq}; return a chunk, or null to drop it`);
        }
        if (answer && mine === undefined && next !== chunk) answer.fold = mine = answer.fold.fork(chunk);
        if (next === null) return;
        const sent = out.next(next);
        mine?.add(sent);
      },
    };
  });
}
