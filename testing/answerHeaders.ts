import type { IncomingHttpHeaders } from 'node:http';
import { decodeBase64 } from './decodeBase64';
import type { MockAnswerOptions } from './mockModel';
import { numberHeader } from './numberHeader';

/** What a request's headers ask of the mock model's answer, the same on every route. */
export type AnswerHeaders = Pick<MockAnswerOptions, 'text' | 'sentences' | 'repeat'>;

// fatal: a bad byte is an error, not U+FFFD; ignoreBOM: a leading BOM is part of the text
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the request headers that shape the mock model's answer, for every route at once:
 * - `x-mock-answer: <base64 of UTF-8 text>`: the answer is exactly that text (`MockAnswerOptions.text`);
 *   a continuation request, which carries the same headers, gets the rest of it;
 * - `x-mock-sentences: N`: how many sentences the model writes;
 * - `x-mock-repeat: N`: a degenerate answer that repeats one sentence N times.
 *
 * The numbers are taken when they are numbers ≥ 0 and ignored otherwise. An `x-mock-answer` that is
 * not standard base64 (see `decodeBase64`) of valid UTF-8 throws a `TypeError` that says so, which
 * the server answers with the API's 400.
 *
 * @example
 * answerHeaders({ 'x-mock-answer': Buffer.from('  indented\n').toString('base64') }); // { text: '  indented\n' }
 * answerHeaders({ 'x-mock-answer': 'not base64!' }); // TypeError: x-mock-answer: not standard base64 …
 */
export function answerHeaders(headers: IncomingHttpHeaders): AnswerHeaders {
  const options: AnswerHeaders = {};
  const sentences = numberHeader(headers, 'x-mock-sentences');
  if (sentences !== undefined) options.sentences = sentences;
  const repeat = numberHeader(headers, 'x-mock-repeat');
  if (repeat !== undefined) options.repeat = repeat;
  const answer = headers['x-mock-answer'];
  if (typeof answer === 'string') options.text = answerText(answer);
  return options;
}

/** the texts of the last headers read: a test sends the same answer with many requests */
const recent = new Map<string, string>();

function answerText(header: string): string {
  const known = recent.get(header);
  if (known !== undefined) return known;
  const bytes = decodeBase64(header);
  if (bytes === undefined) {
    throw new TypeError(`x-mock-answer: not standard base64 (A-Z a-z 0-9 + /, padded with = to a multiple of 4): ${JSON.stringify(header.slice(0, 40))}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new TypeError('x-mock-answer: the base64 does not decode to valid UTF-8 text');
  }
  if (recent.size >= 32) recent.clear();
  recent.set(header, text);
  return text;
}
