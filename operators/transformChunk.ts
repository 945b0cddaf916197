import * as t from 'io-ts';
import { defer, filter, map, type MonoTypeOperatorFunction } from 'rxjs';
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
  checkConfig(TransformChunkArguments, { fn }, 'transformChunk arguments');
  return (source) =>
    defer(() => {
      let seq = 0;
      return source.pipe(
        map((chunk) => {
          const out = fn(chunk);
          if (out === null) return null;
          if (out === undefined || typeof out !== 'object') {
            throw new TypeError(`transformChunk: the function returned ${out === undefined ? 'undefined' : typeof out} for chunk ${chunk.seq}; return a chunk, or null to drop it`);
          }
          return out.seq === seq ? (seq++, out) : { ...out, seq: seq++ };
        }),
        filter((chunk): chunk is Chunk => chunk !== null),
      );
    });
}
