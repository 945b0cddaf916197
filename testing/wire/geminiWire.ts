import type { MockTurn } from '../mockModel';
import { hashText, tokenize } from '../mockModel';
import type { FramedStream } from '../route';
import { brokenJson } from './brokenJson';
import { GEMINI_ERROR_FRAME } from './geminiFaults';
import { googleJson } from './googleJson';

export interface GeminiWireTurn {
  turn: MockTurn;
  /** the model id from the path, reported as `modelVersion` */
  model: string;
  /** a stable `responseId` for this answer */
  responseId: string;
  /** `generationConfig.thinkingConfig.includeThoughts`: stream the reasoning as thought parts */
  includeThoughts: boolean;
  /** `generationConfig.maxOutputTokens`: the answer text is cut there, with `MAX_TOKENS` */
  maxOutputTokens?: number;
}

/** Tokens per streamed event: Gemini sends text in pieces of several words. */
const TOKENS_PER_EVENT = 3;

/**
 * The `GenerateContentResponse`s Gemini streams for `turn`, written from the API reference and the
 * recorded streams, independently of the client's parser: thought-summary parts (`thought: true`)
 * when asked for, then the text in pieces, then the function calls (complete, with `args` as an
 * object, no id, as Gemini 2.x sends them; with a `thoughtSignature` when the model thought), the
 * last event with `finishReason` (`STOP` also for a function-call turn, `MAX_TOKENS` when cut).
 * `usageMetadata` is a running snapshot on every event; `candidatesTokenCount` only on the last.
 */
export function geminiResponses({ turn, model, responseId, includeThoughts, maxOutputTokens }: GeminiWireTurn): Record<string, unknown>[] {
  const thoughts = includeThoughts ? tokenize(turn.reasoning) : [];
  // the model thinks whether or not the summaries are shown
  const thoughtsTokenCount = tokenize(turn.reasoning).length;
  let tokens = tokenize(turn.text);
  let finishReason = 'STOP';
  if (maxOutputTokens !== undefined && tokens.length > maxOutputTokens) {
    tokens = tokens.slice(0, maxOutputTokens);
    finishReason = 'MAX_TOKENS';
  }
  const calls = finishReason === 'STOP' ? turn.toolCalls : [];
  const candidatesTokenCount = tokens.length + calls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);

  const events: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < thoughts.length; i += TOKENS_PER_EVENT) {
    events.push([{ text: thoughts.slice(i, i + TOKENS_PER_EVENT).join(''), thought: true }]);
  }
  for (let i = 0; i < tokens.length; i += TOKENS_PER_EVENT) events.push([{ text: tokens.slice(i, i + TOKENS_PER_EVENT).join('') }]);
  if (calls.length > 0) {
    events.push(
      calls.map((call, i) => {
        const part: Record<string, unknown> = { functionCall: { name: call.name, args: JSON.parse(call.arguments) } };
        if (thoughtsTokenCount > 0 && i === 0) part.thoughtSignature = signatureFor(call.id);
        return part;
      }),
    );
  }
  if (events.length === 0) events.push([{ text: '' }]);

  return events.map((parts, i) => {
    const last = i === events.length - 1;
    const candidate: Record<string, unknown> = { content: { parts, role: 'model' } };
    if (last) candidate.finishReason = finishReason;
    candidate.index = 0;
    const usageMetadata: Record<string, unknown> = { promptTokenCount: turn.inputTokens };
    if (last) usageMetadata.candidatesTokenCount = candidatesTokenCount;
    usageMetadata.totalTokenCount = turn.inputTokens + thoughtsTokenCount + (last ? candidatesTokenCount : 0);
    usageMetadata.promptTokensDetails = [{ modality: 'TEXT', tokenCount: turn.inputTokens }];
    if (thoughtsTokenCount > 0) usageMetadata.thoughtsTokenCount = thoughtsTokenCount;
    return { candidates: [candidate], usageMetadata, modelVersion: model, responseId };
  });
}

/**
 * The SSE frames of `responses` as Gemini writes them: `data: <json>` and CRLF CRLF, no `[DONE]`.
 * The last one, with the finish reason, is terminal (it may carry the last words too).
 */
export function geminiFrames(responses: readonly unknown[]): FramedStream {
  const broken = { candidates: [{ content: { parts: [{ text: 'malformed' }], role: 'model' }, index: 0 }] };
  return {
    stream: responses.map((response) => `data: ${googleJson(response)}\r\n\r\n`),
    contentFrames: responses.slice(0, -1).map((_, i) => i),
    terminalFrames: 1,
    errorFrame: GEMINI_ERROR_FRAME,
    malformedFrame: `data: ${brokenJson(googleJson(broken))}\r\n\r\n`,
  };
}

/** A deterministic stand-in for the opaque base64 `thoughtSignature`. */
function signatureFor(seed: string): string {
  return Buffer.from(`mock-signature:${hashText(seed).toString(36)}`).toString('base64');
}
