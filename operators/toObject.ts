import * as t from 'io-ts';
import { defer, map, reduce, type OperatorFunction } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { isLeft } from '../lib/codec/isLeft';
import { reportErrors } from '../lib/codec/reportErrors';
import { NoObjectError } from '../lib/errors/noObjectError';
import { OutputValidationError } from '../lib/errors/outputValidationError';
import { isParseError, ParseError } from '../lib/errors/parseError';
import { nullAsAbsent } from '../lib/nullAsAbsent';
import { createPartialJsonParser } from '../lib/partialJson';
import type { Chunk } from '../lib/types/chunk';
import { AnswerEnd } from './noObjectReason';

/** An io-ts codec, checked by shape (a codec of another copy of io-ts passes). */
const AnyCodec = new t.Type<t.Decoder<unknown, unknown>, t.Decoder<unknown, unknown>, unknown>(
  'an io-ts codec (e.g. t.type({ name: t.string }))',
  (u): u is t.Decoder<unknown, unknown> => typeof u === 'object' && u !== null && typeof (u as { decode?: unknown }).decode === 'function',
  (u, c) => (typeof u === 'object' && u !== null && typeof (u as { decode?: unknown }).decode === 'function' ? t.success(u as t.Decoder<unknown, unknown>) : t.failure(u, c)),
  t.identity,
);
const ToObjectArguments = t.type({ codec: AnyCodec });

/**
 * The value of a structured answer (JSON streamed as the chunks' `content`), decoded by `codec`,
 * once, when the stream completes. The JSON is read as `partialObjects` reads it (a ```` ```json ````
 * fence around it is accepted).
 *
 * Errors, each its own:
 * - `NoObjectError` when the answer has no object for a reason that is not bad JSON: the model
 *   refused (`reason: 'refusal'`, `text` its words), the answer was cut at the token limit
 *   (`'length'`), or a content filter stopped it (`'content-filter'`) — checked first, so never a
 *   parse error for these;
 * - `ParseError` (kind `'json'`, `at` says where, `raw` the answer's text) when the text is not JSON;
 * - `OutputValidationError` when the JSON does not match the codec: `issues` with the io-ts paths
 *   (`steps.2.minutes`), `value` the parsed JSON, `raw` the text.
 * A `null` at an optional key (`t.partial`) whose codec refuses it is read as the key's absence, as a
 * strict structured answer means it (`nullAsAbsent`).
 * An error of the stream passes through unchanged.
 *
 * ```
 * chunks:   --a----b------c--|     ('{"name":', '"Ada","ag', 'e":36}')
 * toObject(Person)
 * value:    -----------------(P|)  (P = { name: 'Ada', age: 36 })
 * ```
 *
 * @example
 * const Person = t.type({ name: t.string, age: t.number });
 * const person = await lastValueFrom(streamChat$('openai', messages, { output: { schema: Person } }).pipe(toObject(Person)));
 *
 * @param codec the io-ts codec of the answer; what it decodes to is what is emitted
 * @throws ConfigError when `codec` is not an io-ts codec
 * @see partialObjects for the value while it streams
 */
export function toObject<A>(codec: t.Decoder<unknown, A>): OperatorFunction<Chunk, A> {
  checkConfig(ToObjectArguments, { codec }, 'toObject arguments');
  return (source) =>
    defer(() =>
      source.pipe(
        reduce(
          (state, chunk) => {
            if (!state.end.add(chunk) && chunk.content) state.parts.push(chunk.content);
            return state;
          },
          { end: new AnswerEnd(), parts: [] as string[] },
        ),
        map(({ end, parts }) => decodeAnswer(codec, end, parts.join(''))),
      ),
    );
}

function decodeAnswer<A>(codec: t.Decoder<unknown, A>, end: AnswerEnd, text: string): A {
  const provider = end.provider;
  const reason = end.reason();
  if (reason) throw new NoObjectError({ provider, reason, text: end.refusal ? end.refusal.join('') : text, finishReason: end.finishReason });
  let value: unknown;
  try {
    const parser = createPartialJsonParser();
    parser.feed(text);
    parser.end();
    value = parser.value();
  } catch (error) {
    if (!isParseError(error)) throw error;
    const finish = end.finishReason ? ` (finish reason '${end.finishReason}')` : '';
    throw new ParseError({ provider, kind: 'json', message: `${provider ?? 'the model'}: the answer is not JSON${finish}: ${error.message}`, raw: text, at: error.at, cause: error });
  }
  // a strict answer's `null` for an optional key means "absent" (see nullAsAbsent): read so, the
  // issues are the answer's real mismatches, not the nulls
  const result = codec.decode(nullAsAbsent(codec, value));
  if (isLeft(result)) throw new OutputValidationError({ provider, issues: reportErrors(result.left), value, raw: text });
  return result.right;
}
