import type { MockTurn } from './mockModel';

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/**
 * What a `cut` fault lets through of `turn`: its reasoning and the first `afterChars` characters of
 * its text (all of it when it is shorter; one more when the point falls inside a surrogate pair, so
 * that no character is split), no tool calls, and `finishReason: null` — an answer that breaks off.
 * The wires write such a turn with all of its text in content frames (tokenized as usual, so the
 * piece that spans the point is split there); the server sends nothing after the last of them.
 * Without `afterChars`, the turn as it is.
 *
 * @example
 * cutTurn(answerFor(messages), 12).text === answerFor(messages).text.slice(0, 12); // true
 * cutTurn({ ...turn, text: 'ok 👍' }, 4).text; // 'ok 👍' (4 falls inside the emoji's surrogate pair)
 */
export function cutTurn(turn: MockTurn, afterChars: number | undefined): MockTurn {
  if (afterChars === undefined) return turn;
  const { text } = turn;
  let end = Math.min(afterChars, text.length);
  if (end > 0 && end < text.length && isHighSurrogate(text.charCodeAt(end - 1)) && isLowSurrogate(text.charCodeAt(end))) end++;
  return { ...turn, text: text.slice(0, end), toolCalls: [], finishReason: null };
}
