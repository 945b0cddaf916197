import * as t from 'io-ts';
import { isLeft } from './codec/isLeft';
import { compileGuard } from './codec/compileGuard';
import { formatIssue, reportErrors } from './codec/reportErrors';
import { ParseError } from './errors/parseError';

// the guard of the codec seen last: a stream decodes one codec event after event, so this spares
// the WeakMap lookup of compileGuard on the hot path
let lastCodec: t.Mixed | undefined;
let lastGuard: (u: unknown) => boolean = () => false;

/**
 * Parses one wire event as JSON and checks it against its codec. The hot path is `JSON.parse`
 * plus the codec's type guard (compiled once, see `compileGuard`); only a payload that fails it is decoded in full, to say
 * which path failed and what arrived.
 */
export function decodeWirePayload<A>(codec: t.Type<A, unknown, unknown>, data: string, provider: string): A {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (error) {
    throw new ParseError({ provider, kind: 'json', message: `${provider}: an event is not valid JSON: ${(error as Error).message}`, raw: data, cause: error });
  }
  if (codec !== lastCodec) {
    lastGuard = compileGuard(codec);
    lastCodec = codec;
  }
  if (lastGuard(payload)) return payload as A;
  const result = codec.decode(payload);
  const issues = isLeft(result) ? reportErrors(result.left).map(formatIssue).join('; ') : 'unexpected shape';
  throw new ParseError({ provider, kind: 'schema', message: `${provider}: an event does not match the wire format: ${issues}`, raw: data });
}
