import type { IncomingHttpHeaders } from 'node:http';
import { decodeBase64 } from './decodeBase64';
import type { MockAnswerOptions } from './mockModel';
import { numberHeader } from './numberHeader';

/** What a request's headers ask of the mock model's answer, the same on every route. */
export type AnswerHeaders = Pick<MockAnswerOptions, 'text' | 'sentences' | 'repeat' | 'split'>;

// fatal: a bad byte is an error, not U+FFFD; ignoreBOM: a leading BOM is part of the text
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads the request headers that shape the mock model's answer, for every route at once:
 * - `x-mock-answer: <base64 of UTF-8 text>`: the answer is exactly that text (`MockAnswerOptions.text`);
 *   a continuation request, which carries the same headers, gets the rest of it;
 * - `x-mock-sentences: N`: how many sentences the model writes;
 * - `x-mock-repeat: N`: a degenerate answer that repeats one sentence N times;
 * - `x-mock-split: 3,17,40`: the text streams in content deltas that end at these offsets (UTF-16
 *   code units of the whole answer, in any order) instead of one per word, on every wire (see
 *   `textPieces`: a point inside a surrogate pair moves to after it; 0 and points at or past the end
 *   cut nothing); an empty value streams the text as one delta. A test cuts the answer at points of
 *   its choosing this way, inside words, escapes and multi-byte characters.
 *
 * The numbers of `x-mock-sentences` and `x-mock-repeat` are taken when they are numbers ≥ 0 and
 * ignored otherwise. An `x-mock-answer` that is not standard base64 (see `decodeBase64`) of valid
 * UTF-8, or an `x-mock-split` that is not a list of whole numbers, throws a `TypeError` that says
 * so, which the server answers with the API's 400.
 *
 * @example
 * answerHeaders({ 'x-mock-answer': Buffer.from('  indented\n').toString('base64') }); // { text: '  indented\n' }
 * answerHeaders({ 'x-mock-split': '3, 17,40' }); // { split: [3, 17, 40] }
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
  const split = headers['x-mock-split'];
  if (typeof split === 'string') options.split = splitPoints(split);
  return options;
}

/** The offsets of an `x-mock-split` header: whole numbers ≥ 0, comma-separated (spaces allowed); none for an empty value. */
function splitPoints(header: string): number[] {
  if (header.trim() === '') return [];
  const items = header.split(',').map((item) => item.trim());
  if (!items.every((item) => /^\d{1,9}$/.test(item))) {
    throw new TypeError(`x-mock-split: a comma-separated list of offsets into the answer (whole numbers ≥ 0), got ${JSON.stringify(header.slice(0, 40))}`);
  }
  return items.map(Number);
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
