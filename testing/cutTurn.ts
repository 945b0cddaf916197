import type { MockTurn } from './mockModel';
import { afterPair } from './textPieces';

/**
 * What a `cut` fault lets through of `turn`: its reasoning and the first `afterChars` characters of
 * its text (all of it when it is shorter; one more when the point falls inside a surrogate pair, so
 * that no character is split), no tool calls, and `finishReason: null` — an answer that breaks off.
 * The wires write such a turn with all of its text in content frames (cut as usual, see `textPieces`,
 * so the piece that spans the point is split there); the server sends nothing after the last of them.
 * Without `afterChars`, the turn as it is.
 *
 * @example
 * cutTurn(answerFor(messages), 12).text === answerFor(messages).text.slice(0, 12); // true
 * cutTurn({ ...turn, text: 'ok 👍' }, 4).text; // 'ok 👍' (4 falls inside the emoji's surrogate pair)
 */
export function cutTurn(turn: MockTurn, afterChars: number | undefined): MockTurn {
  if (afterChars === undefined) return turn;
  const { text } = turn;
  const end = afterPair(text, Math.min(afterChars, text.length));
  return { ...turn, text: text.slice(0, end), toolCalls: [], finishReason: null };
}
