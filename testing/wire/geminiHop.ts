import { splitFrom, tokenize, type MockTurn } from '../mockModel';

/** The part of an answer one Gemini request streams when the answer comes in hops (`CONTINUATION`). */
export interface GeminiHop {
  /**
   * what this request streams: the text from where it goes on to the end of its hop; the reasoning
   * only when it starts the answer; the tool calls only in the last hop; as input tokens, the
   * request's plus the answer's text tokens before it (each hop reads them again)
   */
  turn: MockTurn;
  /** true when a hop follows: this one ends with `CONTINUATION` and a token for the next */
  continues: boolean;
}

/**
 * The hop of `turn` that a request going on at character `from` of its text streams (`from` is 0
 * for a first request, a `continuationToken`'s offset for the others). The text is cut into `hops`
 * hops of about equal length at token boundaries (fewer when it has fewer tokens), the same cut for
 * every request of the answer, and the request streams from `from` to the end of the hop that holds
 * it — so a checkpoint inside a hop resumes that hop, and a hop's end starts the next.
 *
 * @example
 * const first = geminiHop(turn, 3, 0); // the first third of the text, continues: true
 * geminiHop(turn, 3, first.turn.text.length).turn.text; // the second third
 */
export function geminiHop(turn: MockTurn, hops: number, from: number): GeminiHop {
  const { text } = turn;
  const to = hopEnds(text, hops).find((end) => end > from) ?? text.length;
  const last = to === text.length;
  const hop: MockTurn = {
    text: text.slice(from, to),
    reasoning: from === 0 ? turn.reasoning : '',
    toolCalls: last ? turn.toolCalls : [],
    finishReason: turn.finishReason,
    inputTokens: turn.inputTokens + tokenize(text.slice(0, from)).length,
  };
  // the answer's split points, counted from where this request goes on (those past the hop cut nothing)
  const split = splitFrom(turn.split, from);
  return { turn: split === undefined ? hop : { ...hop, split }, continues: !last };
}

/** Where the hops end: for each of the first `hops - 1`, the token end nearest to its even share of the text; then the text's end. */
function hopEnds(text: string, hops: number): number[] {
  const tokenEnds: number[] = [];
  let at = 0;
  for (const token of tokenize(text)) tokenEnds.push((at += token.length));
  const count = Math.max(1, Math.min(hops, tokenEnds.length));
  const ends: number[] = [];
  let previous = -1;
  for (let hop = 1; hop < count; hop++) {
    const target = (text.length * hop) / count;
    let best = previous + 1;
    // leave at least one token to each hop still to come
    for (let j = best + 1; j <= tokenEnds.length - 1 - (count - hop); j++) {
      if (Math.abs(tokenEnds[j] - target) < Math.abs(tokenEnds[best] - target)) best = j;
    }
    ends.push(tokenEnds[best]);
    previous = best;
  }
  ends.push(text.length);
  return ends;
}
