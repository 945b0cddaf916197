import { cutTurn } from '../cutTurn';
import { answerFor, hashText } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import { chatJsonSchema } from './chatJsonSchema';
import type { Route, RouteInput, RouteResult } from '../route';
import { readChatRequest } from './chatRequest';
import { mistralErrorBody, mistralInvalidRequest } from './mistralFaults';
import { mistralFrames } from './mistralWire';
import { openaiCompletion } from './openaiWire';
import { refusedMistralContent } from './contentParts';
import { unpairedMistralToolCalls } from './mistralToolMessages';

/** Model ids served as Mistral's (`mistral-small-latest`, `magistral-medium-latest`, `codestral-latest`, …). */
export function isMistralModel(model: string): boolean {
  return /^(mistral|magistral|codestral|devstral|ministral|pixtral|open-mistral|open-mixtral)/.test(model);
}

/** OpenAI fields Mistral's validation (`extra="forbid"`) refuses with a 422. */
const FORBIDDEN = ['stream_options', 'max_completion_tokens'];

/**
 * Mistral chat completions (`POST /v1/chat/completions` with a Mistral model): refuses
 * `stream_options` and `max_completion_tokens` with Mistral's 422 `extra_forbidden` body, as the
 * real API does, and a `json_schema` response format without `name` or `schema` with its 422 `missing`
 * body (answered with JSON of the schema otherwise), and tool calls and tool messages that do not
 * pair up with its 400 (see `unpairedMistralToolCalls`); accepts `safe_prompt`; thinks (content
 * arrays of `thinking` parts) for `magistral-*` models or with `reasoning_effort`. A bad request
 * gets Mistral's error shape.
 */
export const mistralRoute: Route = { answer: answerMistral, errorBody: mistralErrorBody, invalidRequest: mistralInvalidRequest };

function answerMistral({ body, answerOptions, cut }: RouteInput): RouteResult {
  const extra = FORBIDDEN.filter((key) => key in body);
  if (extra.length > 0) {
    return {
      status: 422,
      json: {
        object: 'error',
        message: { detail: extra.map((key) => ({ type: 'extra_forbidden', loc: ['body', key], msg: 'Extra inputs are not permitted', input: body[key] })) },
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
  }
  const request = readChatRequest(body);
  if (request.messages.length === 0) {
    return { status: 400, json: { object: 'error', message: 'Invalid request: messages must not be empty', type: 'invalid_request_error', param: null, code: '3001' } };
  }
  const refused = refusedMistralContent(body);
  if (refused !== undefined) return { status: 400, json: { object: 'error', message: refused, type: 'invalid_request_error', param: null, code: '3001' } };
  const unpaired = unpairedMistralToolCalls(body.messages);
  if (unpaired !== undefined) return { status: 400, json: mistralInvalidRequest(unpaired) };
  const model = request.model ?? 'mistral-small-latest';
  const thinking = model.startsWith('magistral') || typeof body.reasoning_effort === 'string';
  // structured outputs: `json_schema.name` and `.schema` are required fields of Mistral's JSONSchema (a 422 as pydantic says it)
  const jsonSchema = (body.response_format as { type?: unknown; json_schema?: Record<string, unknown> } | undefined)?.type === 'json_schema'
    ? ((body.response_format as { json_schema?: Record<string, unknown> }).json_schema ?? {})
    : undefined;
  const missing = jsonSchema ? ['name', 'schema'].filter((key) => jsonSchema[key] === undefined) : [];
  if (missing.length > 0) {
    return {
      status: 422,
      json: {
        object: 'error',
        message: { detail: missing.map((key) => ({ type: 'missing', loc: ['body', 'response_format', 'json_schema', key], msg: 'Field required', input: jsonSchema })) },
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    };
  }
  const schema = chatJsonSchema(body);
  const structured = schema !== undefined ? (prompt: string) => structuredText(schema, prompt) : undefined;
  const turn = answerFor(request.messages, { ...answerOptions, tools: request.tools, thinking, structured });
  const id = (hashText(JSON.stringify(request.messages)).toString(16).padStart(8, '0') + hashText(model).toString(16).padStart(8, '0')).repeat(2);
  if (body.stream !== true) return { json: openaiCompletion({ turn, model, id }) };
  return { ...mistralFrames({ turn: cutTurn(turn, cut), model, id }), contentType: 'text/event-stream; charset=utf-8' };
}
