import type { IncomingHttpHeaders } from 'node:http';
import { cutTurn } from '../cutTurn';
import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import type { Route, RouteInput, RouteResult } from '../route';
import { geminiContinuationToken, readGeminiContinuationToken } from './geminiContinuationToken';
import { geminiErrorBody, geminiStatusErrorBody } from './geminiFaults';
import { geminiHop } from './geminiHop';
import { geminiFrames, geminiResponses } from './geminiWire';
import { refusedGeminiContent } from './contentParts';

type Part = { text?: unknown; thought?: unknown; functionCall?: unknown; functionResponse?: { response?: unknown } };
type Content = { role?: unknown; parts?: unknown };

const invalidArgument = (message: string) => geminiErrorBody(400, 'INVALID_ARGUMENT', message);

/**
 * Gemini `POST /v1beta/models/{model}:streamGenerateContent`: `contents` (roles `user` / `model`,
 * text, `functionCall` and `functionResponse` parts), `systemInstruction`, `tools[].functionDeclarations`
 * (`parameters` or `parametersJsonSchema`), `generationConfig` (`maxOutputTokens`,
 * `thinkingConfig.includeThoughts`), `continuationToken`. With `?alt=sse` it streams SSE; without, it
 * answers the JSON array of the same responses, as the real API does. Bad requests get Google's error
 * body. Besides the answer headers of every route (see `answerHeaders`), two headers make the answer
 * come in hops, as long answers do since `CONTINUATION` (see `geminiHop`, `geminiResponses`):
 * - `x-mock-hops: K` (1 to 20, default 1): the answer's text in K hops; each request streams one and,
 *   but for the last, ends with `finishReason: "CONTINUATION"` and a `continuationToken`; the same
 *   request sent again with that token as its top-level `continuationToken` gets the next hop;
 * - `x-mock-checkpoint-every: N` (default 2 with hops, 0 without; 0 = none): every N-th text event of
 *   a hop carries a checkpoint `continuationToken`, with which the same request streams the rest of
 *   that hop from right after that event's text.
 * A token that is malformed or was issued for other `contents` gets a 400 `INVALID_ARGUMENT`.
 */
export const geminiRoute: Route = { answer: answerGemini, errorBody: geminiStatusErrorBody, invalidRequest: invalidArgument };

function answerGemini({ body, headers, params, query, answerOptions, cut }: RouteInput): RouteResult {
  const contents = body.contents;
  if (!Array.isArray(contents) || contents.length === 0) {
    return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified\n') };
  }
  const refused = refusedGeminiContent(body);
  if (refused !== undefined) return { status: 400, json: invalidArgument(refused) };
  const messages: MockMessage[] = [];
  const system = textOf((body.systemInstruction as Content | undefined)?.parts);
  if (system) messages.push({ role: 'system', content: system });
  for (const content of contents as Content[]) {
    if (content.role !== 'user' && content.role !== 'model' && content.role !== undefined) {
      return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', 'Please use a valid role: user, model.') };
    }
    const parts = Array.isArray(content.parts) ? (content.parts as Part[]) : [];
    if (parts.length === 0) {
      return { status: 400, json: geminiErrorBody(400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents.parts: contents.parts must not be empty.\n') };
    }
    const responses = parts.filter((p) => p.functionResponse);
    if (responses.length > 0) {
      for (const p of responses) messages.push({ role: 'tool', content: JSON.stringify(p.functionResponse?.response ?? {}) });
      continue;
    }
    messages.push({ role: content.role === 'model' ? 'assistant' : 'user', content: textOf(parts) });
  }

  const tools: MockTool[] = [];
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools as Array<{ functionDeclarations?: unknown }>) {
      if (!Array.isArray(tool.functionDeclarations)) continue;
      for (const d of tool.functionDeclarations as Array<{ name?: string; parameters?: unknown; parametersJsonSchema?: unknown }>) {
        tools.push({ name: d.name ?? 'tool', parameters: (d.parametersJsonSchema ?? d.parameters) as MockTool['parameters'] });
      }
    }
  }
  const config = (body.generationConfig ?? {}) as { maxOutputTokens?: unknown; thinkingConfig?: { includeThoughts?: unknown; thinkingBudget?: unknown } };
  const thinking = config.thinkingConfig;
  const thinks = thinking !== undefined && thinking.thinkingBudget !== 0;
  const turn = answerFor(messages, { ...answerOptions, tools, thinking: thinks });

  const hops = hopHeaders(headers);
  if (typeof hops === 'string') return { status: 400, json: invalidArgument(hops) };
  let from = 0;
  if (body.continuationToken !== undefined) {
    try {
      from = readGeminiContinuationToken(body.continuationToken, contents, turn.text.length);
    } catch (error) {
      return { status: 400, json: invalidArgument((error as Error).message) };
    }
  }
  const hop = geminiHop(turn, hops.hops, from);
  const sse = query.get('alt') === 'sse';
  const responses = geminiResponses({
    turn: sse ? cutTurn(hop.turn, cut) : hop.turn,
    model: params.model,
    responseId: `mock${hashText(JSON.stringify(messages)).toString(36)}${from > 0 ? `-${from}` : ''}`,
    includeThoughts: thinking?.includeThoughts === true,
    maxOutputTokens: typeof config.maxOutputTokens === 'number' ? config.maxOutputTokens : undefined,
    continuation: { from, continues: hop.continues, checkpointEvery: hops.checkpointEvery, tokenAt: (offset) => geminiContinuationToken(contents, offset) },
  });
  if (!sse) return { json: responses };
  return { ...geminiFrames(responses), contentType: 'text/event-stream' };
}

/** `x-mock-hops` and `x-mock-checkpoint-every`, with their defaults; or what is wrong with them. */
function hopHeaders(headers: IncomingHttpHeaders): { hops: number; checkpointEvery: number } | string {
  const whole = (name: string, min: number, max: number): number | string | undefined => {
    const value = headers[name];
    if (value === undefined) return undefined;
    const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
    return n >= min && n <= max ? n : `${name}: a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`;
  };
  const hops = whole('x-mock-hops', 1, 20) ?? 1;
  if (typeof hops === 'string') return hops;
  const checkpointEvery = whole('x-mock-checkpoint-every', 0, 1000) ?? (hops > 1 ? 2 : 0);
  if (typeof checkpointEvery === 'string') return checkpointEvery;
  return { hops, checkpointEvery };
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const p of parts as Part[]) if (typeof p?.text === 'string' && p.thought !== true) text += p.text;
  return text;
}
