import * as t from 'io-ts';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { AnswerFold, SharedAnswer } from '../lib/answerFold';
import { chunkOperator } from '../lib/chunkOperator';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn as functionOf } from '../lib/codec/readable';
import type { Chunk } from '../lib/types/chunk';

/** What `transformChunk` applies (also the `transformChunk` option of `streamChat$`): `(chunk) => Chunk | null`. */
export const ChunkTransform = functionOf<(chunk: Chunk) => Chunk | null>('a function (chunk) => Chunk | null');
export type ChunkTransform = t.TypeOf<typeof ChunkTransform>;

const TransformChunkArguments = t.type({ fn: ChunkTransform });

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
 * @throws ConfigError when `fn` is not a function (`Invalid transformChunk arguments: fn: expected a function (chunk) => Chunk | null, got "upper"`)
 * @see validateChunk
 */
export function transformChunk(fn: ChunkTransform): MonoTypeOperatorFunction<Chunk> {
  return transformChunkSharing(fn, undefined);
}

/**
 * `transformChunk` inside `streamChat$`, where the answer is folded once (`SharedAnswer`): the
 * first chunk the function changes or drops forks the answer, and the fork goes on with what this
 * stage sends. Checks its argument as `transformChunk` does.
 */
export function transformChunkSharing(fn: ChunkTransform, answer: SharedAnswer | undefined): MonoTypeOperatorFunction<Chunk> {
  checkConfig(TransformChunkArguments, { fn }, 'transformChunk arguments');
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
