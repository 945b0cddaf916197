import { cutTurn } from '../cutTurn';
import { answerFor, hashText, tokenize } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import { chatJsonSchema } from './chatJsonSchema';
import type { Route, RouteInput, RouteResult } from '../route';
import { readChatRequest } from './chatRequest';
import { lmstudioErrorBody, lmstudioInvalidRequest } from './lmstudioFaults';
import { openaiCompletion, openaiFrames } from './openaiWire';
import { refusedChatContent } from './contentParts';

/** The mock's generation speed: 40 tokens/s after a 0.25 s first token. */
const TOKENS_PER_SECOND = 40;
const TIME_TO_FIRST_TOKEN = 0.25;

/**
 * LM Studio's REST API (`POST /api/v0/chat/completions`): the Chat Completions stream as LM Studio
 * writes it (`system_fingerprint` = the model key), whose final chunk carries `stats`
 * (`tokens_per_second`, `time_to_first_token` and `generation_time` in seconds, `stop_reason`),
 * `model_info` and `runtime`, as its non-streaming answers do; usage only with
 * `stream_options.include_usage`. Errors are `{"error": "<text>"}` before the stream, OpenAI's
 * `data: {"error": {…}}` inside it.
 */
export const lmstudioNativeRoute: Route = { answer: answerLMStudioNative, errorBody: lmstudioErrorBody, invalidRequest: lmstudioInvalidRequest };

function answerLMStudioNative({ body, answerOptions, cut }: RouteInput): RouteResult {
  const request = readChatRequest(body);
  if (!Array.isArray(body.messages)) return { status: 400, json: { error: "'messages' field is required" } };
  if (request.messages.length === 0) return { status: 400, json: { error: "'messages' must not be empty" } };
  const refused = refusedChatContent(body);
  if (refused !== undefined) return { status: 400, json: { error: refused } };
  const model = request.model ?? 'qwen/qwen3-4b';
  // structured outputs: `json_schema` or `text` only (SPEC-lmstudio: `json_object` is a 400)
  const formatType = (body.response_format as { type?: unknown } | undefined)?.type;
  if (formatType !== undefined && formatType !== 'json_schema' && formatType !== 'text') {
    return { status: 400, json: { error: "'response_format.type' must be 'json_schema' or 'text'" } };
  }
  const schema = chatJsonSchema(body);
  const structured = schema !== undefined ? (prompt: string) => structuredText(schema, prompt) : undefined;
  const turn = answerFor(request.messages, { ...answerOptions, tools: request.tools, structured });
  const id = `chatcmpl-${hashText(JSON.stringify(request.messages)).toString(36)}${hashText(model).toString(36)}`;
  const tokens = tokenize(turn.text).length + turn.toolCalls.reduce((n, c) => n + Math.ceil(c.arguments.length / 4), 0);
  const extras = {
    stats: {
      tokens_per_second: TOKENS_PER_SECOND,
      time_to_first_token: TIME_TO_FIRST_TOKEN,
      generation_time: tokens / TOKENS_PER_SECOND,
      stop_reason: turn.finishReason === 'tool_calls' ? 'toolCalls' : 'eosFound',
    },
    model_info: { arch: 'qwen3', quant: 'Q4_K_M', format: 'gguf', context_length: 32768 },
    runtime: { name: 'llama.cpp-linux-x86_64-avx2', version: '1.50.0', supported_formats: ['gguf'] },
  };
  if (body.stream !== true) return { json: { ...openaiCompletion({ turn, model, id }), ...extras } };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return {
    ...openaiFrames({ turn: cutTurn(turn, cut), model, id }, { usage: includeUsage ? 'chunk' : 'none', systemFingerprint: model, finishExtras: extras }),
    contentType: 'text/event-stream',
  };
}
