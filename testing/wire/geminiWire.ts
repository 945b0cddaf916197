import type { MockTurn } from '../mockModel';
import { hashText, tokenize } from '../mockModel';
import { textPieces } from '../textPieces';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { GEMINI_ERROR_FRAME } from './geminiFaults';
import { geminiGrounding } from './geminiGrounding';
import { googleJson } from './googleJson';

export interface GeminiWireTurn {
  /** what this request streams (one hop of the answer, see `geminiHop`) */
  turn: MockTurn;
  /** the model id from the path, reported as `modelVersion` */
  model: string;
  /** a stable `responseId` for this answer */
  responseId: string;
  /** `generationConfig.thinkingConfig.includeThoughts`: stream the reasoning as thought parts */
  includeThoughts: boolean;
  /** `generationConfig.maxOutputTokens`: the answer text is cut there, with `MAX_TOKENS` */
  maxOutputTokens?: number;
  /** a Gemini 3 model: it always thinks, so its first function call always carries a `thoughtSignature` */
  signsCalls?: boolean;
  /**
   * Google Search grounding: the answer's last event carries `groundingMetadata` with this many sources
   * (see `geminiGrounding`), and the usage counts the search results read as `toolUsePromptTokenCount`
   */
  grounding?: { sources: number; query: string };
  /** how the answer goes on across requests; without it, this request streams the whole answer */
  continuation?: GeminiContinuation;
}

/** How the responses of one request carry `continuationToken`s (see `geminiHop`). */
export interface GeminiContinuation {
  /** where this request's text starts in the whole answer's text */
  from: number;
  /** a hop follows this one: the last response says `CONTINUATION` and carries the token of the next */
  continues: boolean;
  /** every this many text events carry a checkpoint token (0: none) */
  checkpointEvery: number;
  /** the token that goes on at an offset of the whole answer's text */
  tokenAt(offset: number): string;
}

const WHOLE_ANSWER: GeminiContinuation = { from: 0, continues: false, checkpointEvery: 0, tokenAt: () => '' };

/** Tokens per streamed event: Gemini sends text in pieces of several words. */
const TOKENS_PER_EVENT = 3;

/** One streamed response before its envelope: its parts, and the token it carries. */
interface GeminiEvent {
  parts: Array<Record<string, unknown>>;
  continuationToken?: string;
}

/**
 * The `GenerateContentResponse`s Gemini streams for `turn`, written from the API reference and the
 * recorded streams, independently of the client's parser: thought-summary parts (`thought: true`)
 * when asked for, then the text in pieces (a few words each; the pieces of a `split` one per event), then the function calls (complete, with `args` as an
 * object, no id, as Gemini 2.x sends them; the first with a `thoughtSignature` when the model thought,
 * always on Gemini 3), the
 * last event with `finishReason` (`STOP` also for a function-call turn, `MAX_TOKENS` when cut).
 * `usageMetadata` is a running snapshot on every event; `candidatesTokenCount` only on the last.
 *
 * With a `continuation`, the answer comes in hops (`@google/genai`'s automatic continuation): the
 * last event of a hop that is not the answer's last says `CONTINUATION` and carries
 * `candidates[0].continuationToken`, and every `checkpointEvery`-th text event carries a checkpoint
 * token without a finish reason; each token goes on right after the text streamed with it.
 * `promptTokenCount` is the turn's input (which counts the earlier hops), `candidatesTokenCount`
 * this request's tokens. An answer that breaks off (`finishReason: null`) has no finish event: its
 * last text stays in a content event.
 */
export function geminiResponses(wire: GeminiWireTurn): Record<string, unknown>[] {
  const { turn, model, responseId, includeThoughts, maxOutputTokens, signsCalls = false, grounding, continuation = WHOLE_ANSWER } = wire;
  const thoughts = includeThoughts ? tokenize(turn.reasoning) : [];
  // the model thinks whether or not the summaries are shown
  const thoughtsTokenCount = tokenize(turn.reasoning).length;
  let tokens = textPieces(turn);
  // pieces a test chose (`split`) go one per event, as they are
  const perEvent = turn.split === undefined ? TOKENS_PER_EVENT : 1;
  let finishReason: string | undefined = turn.finishReason === null ? undefined : continuation.continues ? 'CONTINUATION' : 'STOP';
  if (maxOutputTokens !== undefined && tokens.length > maxOutputTokens) {
    tokens = tokens.slice(0, maxOutputTokens);
    if (finishReason !== undefined) finishReason = 'MAX_TOKENS';
  }
  const calls = finishReason === 'STOP' ? turn.toolCalls : [];
  const candidatesTokenCount = tokens.length + calls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);

  const events: GeminiEvent[] = [];
  for (let i = 0; i < thoughts.length; i += TOKENS_PER_EVENT) {
    events.push({ parts: [{ text: thoughts.slice(i, i + TOKENS_PER_EVENT).join(''), thought: true }] });
  }
  let streamed = continuation.from;
  for (let i = 0; i < tokens.length; i += perEvent) {
    const text = tokens.slice(i, i + perEvent).join('');
    streamed += text.length;
    const event: GeminiEvent = { parts: [{ text }] };
    const nth = i / perEvent + 1;
    if (continuation.checkpointEvery > 0 && nth % continuation.checkpointEvery === 0) event.continuationToken = continuation.tokenAt(streamed);
    events.push(event);
  }
  if (calls.length > 0) {
    events.push({
      parts: calls.map((call, i) => {
        const part: Record<string, unknown> = { functionCall: { name: call.name, args: JSON.parse(call.arguments) } };
        if ((signsCalls || thoughtsTokenCount > 0) && i === 0) part.thoughtSignature = signatureFor(call.id);
        return part;
      }),
    });
  }
  if (finishReason !== undefined) {
    if (events.length === 0) events.push({ parts: [{ text: '' }] });
    // the finish event carries the next hop's token, or none: a terminal finish ends the answer
    const last = events[events.length - 1];
    if (finishReason === 'CONTINUATION') last.continuationToken = continuation.tokenAt(streamed);
    else delete last.continuationToken;
  }

  // the search results the model read: input, counted apart
  const toolUsePromptTokenCount = grounding ? 40 * grounding.sources : 0;
  return events.map(({ parts, continuationToken }, i) => {
    const last = finishReason !== undefined && i === events.length - 1;
    const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
    if (last) candidate.finishReason = finishReason;
    if (last && grounding) candidate.groundingMetadata = geminiGrounding(tokens.join(''), grounding.sources, grounding.query);
    if (continuationToken !== undefined) candidate.continuationToken = continuationToken;
    candidate.index = 0;
    const usageMetadata: Record<string, unknown> = { promptTokenCount: turn.inputTokens };
    if (last) usageMetadata.candidatesTokenCount = candidatesTokenCount;
    usageMetadata.totalTokenCount = turn.inputTokens + toolUsePromptTokenCount + thoughtsTokenCount + (last ? candidatesTokenCount : 0);
    usageMetadata.promptTokensDetails = [{ modality: 'TEXT', tokenCount: turn.inputTokens }];
    if (toolUsePromptTokenCount > 0) {
      usageMetadata.toolUsePromptTokenCount = toolUsePromptTokenCount;
      usageMetadata.toolUsePromptTokensDetails = [{ modality: 'TEXT', tokenCount: toolUsePromptTokenCount }];
    }
    if (thoughtsTokenCount > 0) usageMetadata.thoughtsTokenCount = thoughtsTokenCount;
    return { candidates: [candidate], usageMetadata, modelVersion: model, responseId };
  });
}

/**
 * The SSE frames of `responses` as Gemini writes them: `data: <json>` and CRLF CRLF, no `[DONE]`.
 * The last one is terminal when it has the finish reason (it may carry the last words too).
 */
export function geminiFrames(responses: ReadonlyArray<Record<string, unknown>>): FramedStream {
  const broken = { candidates: [{ content: { parts: [{ text: 'malformed' }], role: 'model' }, index: 0 }] };
  const last = responses[responses.length - 1] as { candidates?: Array<{ finishReason?: unknown }> } | undefined;
  const terminalFrames = last?.candidates?.[0]?.finishReason !== undefined ? 1 : 0;
  return {
    stream: responses.map((response) => `data: ${googleJson(response)}\r\n\r\n`),
    contentFrames: responses.slice(0, responses.length - terminalFrames).map((_, i) => i),
    terminalFrames,
    errorFrame: GEMINI_ERROR_FRAME,
    malformedFrame: `data: ${brokenJson(googleJson(broken))}\r\n\r\n`,
  };
}

/** A deterministic stand-in for the opaque base64 `thoughtSignature`. */
function signatureFor(seed: string): string {
  return Buffer.from(`mock-signature:${hashText(seed).toString(36)}`).toString('base64');
}
