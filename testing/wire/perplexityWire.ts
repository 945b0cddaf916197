import { tokenize, type MockTurn } from '../mockModel';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { openaiErrorFrame } from './openaiFaults';
import type { PerplexitySource } from './perplexitySources';
import { textPieces } from '../textPieces';

/** What one mock Perplexity answer is made of: the model's turn, its sources, and the envelope. */
export interface PerplexityWireTurn {
  turn: MockTurn;
  model: string;
  /** a UUID-shaped id */
  id: string;
  sources: PerplexitySource[];
}

/**
 * The text pieces of an answer: the words of the text (citation markers apart), or the pieces of its
 * `split` (see `textPieces`), led for a reasoning model by a
 * `<think>\n…\n</think>\n\n` block whose closing tag is cut across two deltas and shares its
 * second delta with the answer's first word (`"\n</thi"`, `"nk>\n\nWord"`), as token boundaries fall
 * on the real wire.
 */
export function perplexityPieces(turn: MockTurn): string[] {
  // pieces a test chose (`split`) are streamed as they are; words get their markers cut apart
  const text = turn.split === undefined ? splitCitationMarkers(tokenize(turn.text)) : textPieces(turn);
  if (!turn.reasoning) return text;
  const [first = '', ...rest] = text;
  return ['<think>', ...tokenize(`\n${turn.reasoning}`), '\n</thi', `nk>\n\n${first}`, ...rest];
}

/**
 * Citation markers are deltas of their own on the real wire (`"…simplicity."`, `"[1]"`, `"[5]\n\n"`);
 * here every second one is also cut inside (`"["`, `"2]"`), as token boundaries may fall. Text
 * without markers is left as it is.
 */
function splitCitationMarkers(tokens: string[]): string[] {
  if (!tokens.some((token) => token.includes('['))) return tokens;
  const out: string[] = [];
  let markers = 0;
  for (const token of tokens) {
    for (const part of token.split(/(\[\d+\])/)) {
      if (part === '') continue;
      if (/^\[\d+\]$/.test(part) && markers++ % 2 === 1) out.push('[', part.slice(1));
      else out.push(part);
    }
  }
  return out;
}

/**
 * The frames of a Perplexity Sonar stream ("full" mode), from recorded bytes and the API reference,
 * independently of the client's parser: CRLF line ends, a `: ping` comment first for reasoning
 * models, every payload repeating `citations` and `search_results`, a cumulative `usage` (with
 * `cost`), `role` in every delta, `message` with the whole text so far, no `finish_reason` key
 * until the final `chat.completion.done` payload (empty delta), and no `[DONE]`. That last payload is
 * the one terminal frame; an error inside the stream is OpenAI's `data: {"error": …}`, CRLF-framed.
 */
export function perplexityFrames({ turn, model, id, sources }: PerplexityWireTurn): FramedStream {
  const created = 1_780_000_000;
  const pieces = perplexityPieces(turn);
  const citations = sources.map((s) => s.url);
  const usage = (completion: number, final: boolean) => {
    const input = turn.inputTokens * 1e-6;
    const output = completion * 1e-6;
    const cost: Record<string, number> = final
      ? { input_tokens_cost: input, output_tokens_cost: output, request_cost: 0.005, total_cost: input + output + 0.005 }
      : { input_tokens_cost: input, output_tokens_cost: output, total_cost: input + output };
    return { prompt_tokens: turn.inputTokens, completion_tokens: completion, total_tokens: turn.inputTokens + completion, search_context_size: 'low', cost };
  };
  // what every payload repeats, serialized once (the same bytes as JSON.stringify of the whole payload)
  const head = JSON.stringify({ id, model, created }).slice(0, -1);
  const cited = `"citations":${JSON.stringify(citations)},"search_results":${JSON.stringify(sources)}`;
  const payload = (object: string, completion: number, choice: Record<string, unknown>) =>
    `${head},"usage":${JSON.stringify(usage(completion, object === 'chat.completion.done'))},${cited},"object":${JSON.stringify(object)},"choices":[${JSON.stringify(choice)}]}`;
  const frame = (object: string, completion: number, choice: Record<string, unknown>) => `data: ${payload(object, completion, choice)}\r\n\r\n`;

  const frames: string[] = [];
  const contentFrames: number[] = [];
  if (turn.reasoning) frames.push(': ping - 2026-06-08 18:49:47.737080\r\n\r\n');
  let soFar = '';
  pieces.forEach((piece, i) => {
    soFar += piece;
    contentFrames.push(frames.length);
    frames.push(frame('chat.completion.chunk', i + 1, { index: 0, message: { role: 'assistant', content: soFar }, delta: { role: 'assistant', content: piece } }));
  });
  frames.push(
    frame('chat.completion.done', pieces.length, {
      index: 0,
      message: { role: 'assistant', content: soFar },
      delta: { role: 'assistant', content: '' },
      finish_reason: 'stop',
    }),
  );
  const broken = { index: 0, message: { role: 'assistant', content: 'malformed' }, delta: { role: 'assistant', content: 'malformed' } };
  return {
    stream: frames,
    contentFrames,
    terminalFrames: 1,
    errorFrame: openaiErrorFrame('\r\n\r\n'),
    malformedFrame: `data: ${brokenJson(payload('chat.completion.chunk', 1, broken))}\r\n\r\n`,
  };
}

/** The non-streaming answer (`stream: false`). */
export function perplexityCompletion({ turn, model, id, sources }: PerplexityWireTurn): Record<string, unknown> {
  const content = perplexityPieces(turn).join('');
  const completion = tokenize(turn.text).length + tokenize(turn.reasoning).length;
  return {
    id,
    model,
    created: 1_780_000_000,
    usage: { prompt_tokens: turn.inputTokens, completion_tokens: completion, total_tokens: turn.inputTokens + completion, search_context_size: 'low' },
    citations: sources.map((s) => s.url),
    search_results: sources,
    object: 'chat.completion',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
  };
}
