import type { MonoTypeOperatorFunction } from 'rxjs';
import * as t from 'io-ts';
import { chunkOperator } from '../lib/chunkOperator';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn as functionOf } from '../lib/codec/readable';
import { ChunkValidationError } from '../lib/errors/chunkValidationError';
import { createAnswerFold, type AnswerFold, type SharedAnswer } from '../lib/answerFold';
import type { Chunk } from '../lib/types/chunk';

/** What a validator returns: `true` or `undefined` for a valid chunk; `false` or a reason for an invalid one. */
export type ChunkValidator = (chunk: Chunk) => boolean | string | undefined | void;
/** The check `validateChunk` runs on every chunk (also the `validateChunk` option of `streamChat$`). */
export const ChunkValidator = functionOf<ChunkValidator>('a function (chunk) => true | undefined | false | reason');

/** The configuration of `validateChunk`. */
export const ValidateChunkConfig = t.partial(
  {
    /** `'error'` (default) ends the stream with `ChunkValidationError`; `'drop'` drops the chunk and reports it */
    onInvalid: t.keyof({ error: null, drop: null }, "'error' or 'drop'"),
  },
  '{ onInvalid? }',
);
export type ValidateChunkConfig = t.TypeOf<typeof ValidateChunkConfig>;

const ValidateChunkArguments = t.type({ fn: ChunkValidator });

/**
 * Checks every chunk with `fn`. With `onInvalid: 'error'` the first invalid chunk ends the stream
 * with a `ChunkValidationError` carrying the reason, the chunk and the answer before it
 * (`partial`). With `'drop'` it is dropped, never silently: the next chunk that passes carries
 * `metadata.validationDropped` (how many were dropped before it, which `trackMetrics` counts in
 * `errors`) and their wire `bytes`; drops at the very end come as one last chunk with no content.
 *
 * ```
 * chunks:   --a--b--c--|            (b invalid)
 * validateChunk(fn)
 * chunks:   --a--#                  (ChunkValidationError, partial = a)
 * validateChunk(fn, { onInvalid: 'drop' })
 * chunks:   --a-----c'-|            (c'.metadata.validationDropped = 1)
 * ```
 *
 * @example
 * streamChat$('openai', messages).pipe(
 *   validateChunk((chunk) => !chunk.content?.includes('\u0000') || 'NUL byte in content', { onInvalid: 'drop' }),
 * );
 *
 * @param fn the check, run on every chunk (keep it cheap: it is on the hot path)
 * @param config what to do with an invalid chunk
 * @throws ConfigError when `fn` is not a function or `config` not a configuration (`Invalid validateChunk config: onInvalid: expected 'error' or 'drop', got "ignore"`)
 * @see transformChunk
 */
export function validateChunk(fn: ChunkValidator, config: ValidateChunkConfig = {}): MonoTypeOperatorFunction<Chunk> {
  checkConfig(ValidateChunkArguments, { fn }, 'validateChunk arguments');
  const { onInvalid = 'error' } = checkConfig(ValidateChunkConfig, config, 'validateChunk config');

  return validateChunkSharing(fn, onInvalid, undefined);
}

/**
 * `validateChunk` (its arguments checked by it) inside `streamChat$`, where the answer is folded
 * once (`SharedAnswer`): an invalid chunk's `partial` is read from it, and the first drop forks it
 * (the fork goes on with what this stage sends).
 */
export function validateChunkSharing(fn: ChunkValidator, onInvalid: 'error' | 'drop', answer: SharedAnswer | undefined): MonoTypeOperatorFunction<Chunk> {
  return chunkOperator((out) => {
    // the answer before each chunk: the shared fold, else one of this stage's own ('error' only)
    const own = onInvalid === 'error' && !answer ? createAnswerFold() : undefined;
    let mine: AnswerFold | undefined;
    let dropped = 0;
    let droppedBytes = 0;
    const send = (chunk: Chunk) => {
      const sent = out.next(chunk);
      (own ?? mine)?.add(sent);
    };
    return {
      step(chunk) {
        const verdict = fn(chunk);
        if (verdict === true || verdict === undefined) {
          if (dropped === 0) return send(chunk);
          const carried: Chunk = { ...chunk, bytes: chunk.bytes + droppedBytes, metadata: { ...chunk.metadata, validationDropped: dropped } };
          dropped = droppedBytes = 0;
          return send(carried);
        }
        const reason = typeof verdict === 'string' && verdict ? verdict : 'invalid chunk';
        if (onInvalid === 'error') {
          const error = new ChunkValidationError({ reason, chunk });
          error.partial = (own ?? answer?.fold)?.before(chunk);
          throw error;
        }
        if (answer && mine === undefined) answer.fold = mine = answer.fold.fork(chunk);
        dropped++;
        droppedBytes += chunk.bytes;
      },
      // drops after the last valid chunk are reported at completion by one chunk that carries no content
      end() {
        if (dropped > 0) send(out.synthetic({ bytes: droppedBytes, metadata: { validationDropped: dropped } }));
        out.complete();
      },
    };
  });
}
