import { cutTurn } from '../cutTurn';
import { answerFor, hashText, tokenize, type MockMessage, type MockTurn } from '../mockModel';
import type { MockStatusFault } from '../mockFault';
import { textPieces } from '../textPieces';
import type { FramedStream, Route, RouteInput, RouteResult } from '../route';
import { brokenJson } from './brokenJson';

/** The mock's generation speed, as on the v0 route: 40 tokens/s after a 0.25 s first token. */
const TOKENS_PER_SECOND = 40;
const TIME_TO_FIRST_TOKEN = 0.25;

/**
 * The error object of REST v1, as its `error` event documents it (`{ type, message, code?, param? }`,
 * lmstudio.ai/docs/developer/rest/streaming-events). That an HTTP error body wraps the same object
 * as `{ error: {…} }` is assumed: no v1 error body is published.
 */
const v1Error = (type: string, message: string, extra: { code?: string; param?: string } = {}) => ({ error: { type, message, ...extra } });
const badRequest = (message: string, extra: { code?: string; param?: string } = {}): RouteResult => ({ status: 400, json: v1Error('invalid_request', message, extra) });

/** The error event a mid-stream fault inserts (an `internal_error`, which the docs list among the types). */
const ERROR_FRAME = `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'internal_error', message: 'The model crashed while generating' } })}\n\n`;

/**
 * LM Studio's native REST v1 chat (`POST /api/v1/chat`, LM Studio ≥ 0.4.0), written from its
 * documentation (lmstudio.ai/docs/developer/rest/chat and /rest/streaming-events): `model`
 * (required), `input` (a string, or `{ type: 'message', content }` and `{ type: 'image', data_url }`
 * items — each message item a user turn here), `system_prompt`, `stream`, `store` (default true: a
 * `response_id`), `max_output_tokens` (the answer is cut there). The stream is `event: <type>` +
 * `data: <json>` with `type` repeated: `chat.start`, `prompt_processing.start/progress/end`,
 * `reasoning.start/delta…/end` when the request sets `reasoning` other than `"off"` (the mock model
 * thinks only when asked), `message.start/delta…/end`, then `chat.end` with the
 * `result` (`model_instance_id`, `output`, `stats`, `response_id`); no `[DONE]`. A request without
 * `model` or with an unreadable `input` gets a 400 (`{ error: { type: 'invalid_request', … } }`,
 * the documented error object; its HTTP form is assumed).
 */
export const lmstudioV1Route: Route = {
  answer: answerLMStudioV1,
  errorBody: ({ status }: MockStatusFault) =>
    v1Error(status >= 500 ? 'internal_error' : 'unknown', status === 429 ? 'Too many requests, try again later (status 429)' : `Request failed (status ${status})`),
  invalidRequest: (message: string) => v1Error('invalid_request', message),
};

function answerLMStudioV1({ body, answerOptions, cut }: RouteInput): RouteResult {
  if (typeof body.model !== 'string' || body.model === '') return badRequest('"model" is required', { code: 'missing_required_parameter', param: 'model' });
  const input = readInput(body.input);
  if (typeof input === 'string') return badRequest(input, { code: 'invalid_type', param: 'input' });
  const messages: MockMessage[] = [];
  if (typeof body.system_prompt === 'string' && body.system_prompt !== '') messages.push({ role: 'system', content: body.system_prompt });
  for (const content of input) messages.push({ role: 'user', content });
  const model = body.model;
  const thinking = body.reasoning !== undefined && body.reasoning !== 'off';
  const turn = limit(answerFor(messages, { ...answerOptions, thinking }), body.max_output_tokens);
  const responseId = body.store === false ? undefined : `resp_${hashText(JSON.stringify(messages)).toString(16)}${hashText(model).toString(16)}`;
  const result = resultOf(turn, model, responseId);
  if (body.stream !== true) return { json: result };
  return { ...v1Frames(cutTurn(turn, cut), model, result), contentType: 'text/event-stream' };
}

/** The user turns of `input`, or why it cannot be read. */
function readInput(input: unknown): string[] | string {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input) || input.length === 0) return '"input" must be a string or a non-empty array of input items';
  const texts: string[] = [];
  for (let i = 0; i < input.length; i++) {
    const item = input[i] as { type?: unknown; content?: unknown; data_url?: unknown } | null;
    if (item?.type === 'message' && typeof item.content === 'string') texts.push(item.content);
    else if (item?.type === 'image' && typeof item.data_url === 'string') continue;
    else return `"input[${i}]" must be { type: "message", content } or { type: "image", data_url }`;
  }
  return texts.length > 0 ? texts : [''];
}

/** The turn cut at `max_output_tokens` tokens, reasoning first. */
function limit(turn: MockTurn, max: unknown): MockTurn {
  if (typeof max !== 'number' || max < 0) return turn;
  const reasoning = tokenize(turn.reasoning);
  const text = textPieces(turn);
  if (reasoning.length + text.length <= max) return turn;
  return { ...turn, reasoning: reasoning.slice(0, max).join(''), text: text.slice(0, Math.max(0, max - reasoning.length)).join('') };
}

function resultOf(turn: MockTurn, model: string, responseId: string | undefined): Record<string, unknown> {
  const reasoningTokens = tokenize(turn.reasoning).length;
  const outputTokens = reasoningTokens + tokenize(turn.text).length;
  const output: Array<Record<string, unknown>> = [];
  if (turn.reasoning) output.push({ type: 'reasoning', content: turn.reasoning });
  if (turn.text) output.push({ type: 'message', content: turn.text });
  const result: Record<string, unknown> = {
    model_instance_id: model,
    output,
    stats: {
      input_tokens: turn.inputTokens,
      total_output_tokens: outputTokens,
      reasoning_output_tokens: reasoningTokens,
      tokens_per_second: TOKENS_PER_SECOND,
      time_to_first_token_seconds: TIME_TO_FIRST_TOKEN,
    },
  };
  if (responseId) result.response_id = responseId;
  return result;
}

/**
 * The frames of the stream. The deltas carry the answer; the `message.end` after the last one and
 * `chat.end` are its tail, which a `truncate` fault leaves out (a `cut` fault ends the stream after
 * the last delta: see `faultedFrames`).
 */
function v1Frames(turn: MockTurn, model: string, result: Record<string, unknown>): FramedStream {
  const frames: string[] = [];
  const contentFrames: number[] = [];
  const event = (type: string, payload: Record<string, unknown> = {}, content = false) => {
    if (content) contentFrames.push(frames.length);
    frames.push(`event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`);
  };
  event('chat.start', { model_instance_id: model });
  event('prompt_processing.start');
  event('prompt_processing.progress', { progress: 0.5 });
  event('prompt_processing.end');
  const block = (kind: 'reasoning' | 'message', pieces: string[]) => {
    if (pieces.length === 0) return;
    event(`${kind}.start`);
    for (const content of pieces) event(`${kind}.delta`, { content }, true);
    event(`${kind}.end`);
  };
  block('reasoning', tokenize(turn.reasoning));
  block('message', textPieces(turn));
  event('chat.end', { result });
  const malformed = JSON.stringify({ type: 'message.delta', content: 'malformed' });
  return {
    stream: frames,
    contentFrames,
    terminalFrames: turn.text ? 2 : 1,
    errorFrame: ERROR_FRAME,
    malformedFrame: `event: message.delta\ndata: ${brokenJson(malformed)}\n\n`,
  };
}
