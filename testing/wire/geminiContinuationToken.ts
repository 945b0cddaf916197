import { decodeBase64 } from '../decodeBase64';
import { hashText } from '../mockModel';

/** What a token ties its position to: the request's `contents`, hashed (keys in any order). */
const contentsHash = (contents: unknown) => hashText(sortedJson(contents)).toString(36);

/** JSON with every object's keys sorted, so that two serializations of the same contents hash alike. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The mock's Gemini `continuationToken` for the answer to `contents` that goes on at character
 * `offset` of its text: opaque to a client (base64, as the API's tokens are), and stateless for the
 * server — base64 of `{"offset":<offset>,"contents":"<hash of the contents>"}`, so any request that
 * sends the same `contents` back with it (the same values, its keys in any order) can be answered
 * from there.
 *
 * @example
 * geminiContinuationToken(contents, 120); // 'eyJvZmZzZXQiOjEyMCwiY29udGVudHMiOiIxa3o5cWgifQ=='
 */
export function geminiContinuationToken(contents: unknown, offset: number): string {
  return Buffer.from(JSON.stringify({ offset, contents: contentsHash(contents) })).toString('base64');
}

/**
 * The offset at which the answer goes on for a request that sends `token` (its top-level
 * `continuationToken`) with `contents`, its answer's text being `length` characters long. Throws a
 * `TypeError` that says what is wrong — the route answers it with Google's 400 `INVALID_ARGUMENT` —
 * when the token is not one of `geminiContinuationToken`'s, when it was issued for other contents,
 * or when it points past the end of the answer.
 *
 * @example
 * readGeminiContinuationToken(geminiContinuationToken(contents, 120), contents, 300); // 120
 * readGeminiContinuationToken(geminiContinuationToken(contents, 120), otherContents, 300); // TypeError: … another conversation …
 */
export function readGeminiContinuationToken(token: unknown, contents: unknown, length: number): number {
  const read = typeof token === 'string' ? tokenContent(token) : undefined;
  if (read === undefined) throw new TypeError('continuationToken is malformed: send back exactly the token a response of this model carried');
  const { offset } = read;
  if (read.contents !== contentsHash(contents)) {
    throw new TypeError('continuationToken belongs to another conversation: send it with the same contents as the request whose response carried it');
  }
  if (offset > length) throw new TypeError(`continuationToken points past the end of the answer (character ${offset} of ${length})`);
  return offset;
}

/** What a token says, when it is base64 of `{"offset": <whole number ≥ 0>, "contents": <string>}`. */
function tokenContent(token: string): { offset: number; contents: string } | undefined {
  const bytes = decodeBase64(token);
  if (bytes === undefined) return undefined;
  let read: { offset?: unknown; contents?: unknown } | null;
  try {
    read = JSON.parse(bytes.toString('utf8')) as typeof read;
  } catch {
    return undefined;
  }
  const offset = read?.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || typeof read?.contents !== 'string') return undefined;
  return { offset, contents: read.contents };
}
