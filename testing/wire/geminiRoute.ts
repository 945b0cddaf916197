import type { IncomingHttpHeaders } from 'node:http';
import { cutTurn } from '../cutTurn';
import { answerFor, hashText, type MockMessage, type MockTool } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import type { Route, RouteInput, RouteResult } from '../route';
import { geminiContinuationToken, readGeminiContinuationToken } from './geminiContinuationToken';
import { geminiErrorBody, geminiStatusErrorBody } from './geminiFaults';
import { geminiHop } from './geminiHop';
import { geminiFrames, geminiResponses } from './geminiWire';
import { refusedGeminiContent } from './contentParts';
import { unmatchedFunctionResponses } from './geminiFunctionResponses';

type Part = { text?: unknown; thought?: unknown; functionCall?: { name?: unknown }; thoughtSignature?: unknown; functionResponse?: { response?: unknown } };
type Content = { role?: unknown; parts?: unknown };

const invalidArgument = (message: string) => geminiErrorBody(400, 'INVALID_ARGUMENT', message);

/**
 * Gemini `POST /v1beta/models/{model}:streamGenerateContent`: `contents` (roles `user` / `model`,
 * text, `functionCall` and `functionResponse` parts), `systemInstruction`, `tools[].functionDeclarations`
 * (`parameters` or `parametersJsonSchema`), `generationConfig` (`maxOutputTokens`,
 * `thinkingConfig.includeThoughts`, `responseJsonSchema` or `responseSchema` with `responseMimeType:
 * 'application/json'`: the answer is JSON of the schema), `continuationToken`. With `?alt=sse` it streams SSE; without, it
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
 * - `x-mock-grounding: N` (1 to 10): the answer is grounded by Google Search, its last event with
 *   `groundingMetadata` citing N sources, one support per sentence in UTF-8 byte offsets (see
 *   `geminiGrounding`), and `toolUsePromptTokenCount` in the usage. With hops, each hop's grounding
 *   counts that hop's text.
 *
 * A function call turn whose next turn does not answer each call with a `functionResponse` part gets a
 * 400 `INVALID_ARGUMENT` (see `unmatchedFunctionResponses`).
 *
 * A Gemini 3 model (`gemini-3…`) signs the first function call of each answer (`thoughtSignature`)
 * and, as the real API does, refuses a request whose current turn (the model turns since the last
 * user text) sends a model turn's first function call back without its signature: 400
 * `INVALID_ARGUMENT` "Function call is missing a thought_signature in functionCall parts. …", naming
 * the call and the turn's position (1-based) in `contents`.
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

  const unmatched = unmatchedFunctionResponses(contents as Content[]);
  if (unmatched) return { status: 400, json: invalidArgument(unmatched) };
  const gemini3 = /^gemini-3/.test(params.model);
  if (gemini3) {
    const missing = unsignedCall(contents as Content[]);
    if (missing) return { status: 400, json: invalidArgument(missingSignature(missing.name, missing.position)) };
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
  const config = (body.generationConfig ?? {}) as {
    maxOutputTokens?: unknown;
    thinkingConfig?: { includeThoughts?: unknown; thinkingBudget?: unknown };
    responseMimeType?: unknown;
    responseSchema?: unknown;
    responseJsonSchema?: unknown;
  };
  const thinking = config.thinkingConfig;
  const thinks = thinking !== undefined && thinking.thinkingBudget !== 0;
  // structured output: `responseJsonSchema` (JSON Schema) or `responseSchema` (Google's OpenAPI subset), one of them, with the JSON MIME type
  // (the API refuses the others with INVALID_ARGUMENT; the wording of these two messages is the mock's own)
  const schema = config.responseJsonSchema ?? config.responseSchema;
  if (config.responseJsonSchema !== undefined && config.responseSchema !== undefined) {
    return { status: 400, json: invalidArgument('responseJsonSchema and responseSchema cannot both be set: use one of them.') };
  }
  if (schema !== undefined && config.responseMimeType !== 'application/json') {
    return { status: 400, json: invalidArgument(`* GenerateContentRequest.generation_config.response_mime_type: a response schema needs response_mime_type "application/json", got ${JSON.stringify(config.responseMimeType ?? '')}.\n`) };
  }
  const structured = schema !== undefined ? (prompt: string) => structuredText(lowerTypes(schema), prompt) : undefined;
  const turn = answerFor(messages, { ...answerOptions, tools, thinking: thinks, structured });

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
    signsCalls: gemini3,
    grounding: hops.grounding > 0 ? { sources: hops.grounding, query: lastUserText(messages) } : undefined,
    continuation: { from, continues: hop.continues, checkpointEvery: hops.checkpointEvery, tokenAt: (offset) => geminiContinuationToken(contents, offset) },
  });
  if (!sse) return { json: responses };
  return { ...geminiFrames(responses), contentType: 'text/event-stream' };
}

/** `x-mock-hops`, `x-mock-checkpoint-every` and `x-mock-grounding`, with their defaults; or what is wrong with them. */
function hopHeaders(headers: IncomingHttpHeaders): { hops: number; checkpointEvery: number; grounding: number } | string {
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
  const grounding = whole('x-mock-grounding', 1, 10) ?? 0;
  if (typeof grounding === 'string') return grounding;
  return { hops, checkpointEvery, grounding };
}

/**
 * The first model turn of the current turn (the contents after the last user text) whose first
 * function call comes without its `thoughtSignature`: what Gemini 3 validates (earlier turns are not
 * checked; later calls of a turn, parallel ones, carry no signature of their own).
 */
function unsignedCall(contents: readonly Content[]): { name: string; position: number } | undefined {
  let start = 0;
  contents.forEach((content, i) => {
    const parts = Array.isArray(content.parts) ? (content.parts as Part[]) : [];
    if (content.role !== 'model' && parts.some((p) => typeof p?.text === 'string')) start = i + 1;
  });
  for (let i = start; i < contents.length; i++) {
    if (contents[i].role !== 'model' || !Array.isArray(contents[i].parts)) continue;
    const first = (contents[i].parts as Part[]).find((p) => p?.functionCall);
    if (first && (typeof first.thoughtSignature !== 'string' || first.thoughtSignature === '')) {
      return { name: typeof first.functionCall?.name === 'string' ? first.functionCall.name : '', position: i + 1 };
    }
  }
  return undefined;
}

/** Gemini's message for a call sent back without its signature (as the API words it, recorded in public bug reports). */
const missingSignature = (name: string, position: number) =>
  'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing ' +
  `thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${name}\` , position ${position}. ` +
  'Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.';

/** The search the grounded answer reports: the last user turn's text, shortened as a query. */
function lastUserText(messages: readonly MockMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user' && messages[i].content) return messages[i].content.slice(0, 80);
  return 'search';
}

function textOf(parts: unknown): string {
  if (!Array.isArray(parts)) return '';
  let text = '';
  for (const p of parts as Part[]) if (typeof p?.text === 'string' && p.thought !== true) text += p.text;
  return text;
}

/** A `responseSchema` (OpenAPI subset, types `OBJECT`, `STRING`, …) read as JSON Schema: its types in lower case. */
function lowerTypes(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(lowerTypes);
  if (typeof schema !== 'object' || schema === null) return schema;
  return Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, key === 'type' && typeof value === 'string' ? value.toLowerCase() : lowerTypes(value)]));
}
