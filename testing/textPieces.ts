import { tokenize, type MockTurn } from './mockModel';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * `at`, or `at + 1` when `at` falls between the two halves of a surrogate pair of `text`: a point
 * that would split a character moves to after it, so that no piece ends in half an emoji (which
 * would be no valid UTF-8 on the wire).
 *
 * @example
 * afterPair('a👍b', 2); // 3 (2 is inside the emoji)
 * afterPair('a👍b', 1); // 1
 */
export function afterPair(text: string, at: number): number {
  return at > 0 && at < text.length && isHighSurrogate(text.charCodeAt(at - 1)) && isLowSurrogate(text.charCodeAt(at)) ? at + 1 : at;
}

/**
 * `text` cut at `points` (offsets in UTF-16 code units, in any order): the pieces between them, none
 * empty, that join back to `text` exactly. A point inside a surrogate pair moves to after the pair
 * (see `afterPair`); points at 0, at or past the end, and repeated ones cut nothing.
 *
 * @example
 * splitText('{"a": "👍"}', [3, 8, 8, 40]); // ['{"a', '": "👍', '"}'] (8 is inside the emoji: the cut moves to 9)
 */
export function splitText(text: string, points: readonly number[]): string[] {
  const cuts = [...new Set(points.map((point) => afterPair(text, point)))].filter((cut) => cut > 0 && cut < text.length).sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of [...cuts, text.length]) {
    if (cut > start) pieces.push(text.slice(start, cut));
    start = cut;
  }
  return pieces;
}

/**
 * The content deltas a wire streams a turn's text in, one piece each — the one place where every
 * wire cuts its text: at the turn's `split` points when it has them (header `x-mock-split`, see
 * `answerHeaders`), else word by word (`tokenize`). A wire that groups words into bigger events
 * (Gemini) sends split pieces one per event as they are; a token limit (`max_tokens`,
 * `num_predict`, …) counts a split piece as one token.
 *
 * @example
 * textPieces({ text: 'Hello there world', split: [2, 9] }); // ['He', 'llo the', 're world']
 * textPieces({ text: 'Hello there world' }); // ['Hello', ' there', ' world']
 */
export function textPieces(turn: Pick<MockTurn, 'text' | 'split'>): string[] {
  return turn.split === undefined ? tokenize(turn.text) : splitText(turn.text, turn.split);
}

