import { cutTurn } from '../cutTurn';
import { answerFor, hashText } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import { readOpenAIJsonSchema } from './openaiJsonSchema';
import { numberHeader } from '../numberHeader';
import type { Route, RouteInput, RouteResult } from '../route';
import { readChatRequest } from './chatRequest';
import { mistralErrorBody, mistralInvalidRequest } from './mistralFaults';
import { isMistralModel, mistralRoute } from './mistralRoute';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';
import { openaiCompletion, openaiFrames } from './openaiWire';
import { refusedChatContent } from './contentParts';
import { isLMStudioModelKey } from './lmstudioModelKey';
import { refusedToolMessages } from './openaiToolMessages';

/**
 * OpenAI Chat Completions: `messages` with string or text-part contents, `tools`, `stream`,
 * `stream_options`, `response_format` (a `json_schema` one is checked as OpenAI checks it, strict mode
 * included, and answered with JSON of the schema: see `readOpenAIJsonSchema`, `structuredText`). The same path serves LM Studio's OpenAI-compatible endpoint; a request for a
 * Mistral model (`mistral-*`, `magistral-*`, …) is answered as Mistral's API would (`mistralRoute`),
 * its errors included.
 */
export const openaiRoute: Route = {
  answer: answerOpenAI,
  errorBody: (fault, input) => (isMistralRequest(input) ? mistralErrorBody(fault) : openaiErrorBody(fault)),
  invalidRequest: (message, input) => (isMistralRequest(input) ? mistralInvalidRequest(message) : openaiInvalidRequest(message)),
};

const isMistralRequest = ({ body }: RouteInput) => typeof body.model === 'string' && isMistralModel(body.model);

function answerOpenAI(input: RouteInput): RouteResult {
  return isMistralRequest(input) ? mistralRoute.answer(input) : answerChatCompletions(input);
}

/**
 * The answer of OpenAI's Chat Completions to `input`, whatever its model: a stream (the usage chunk when
 * `stream_options.include_usage`), the completion without `stream: true`, or the 400 of an empty
 * `messages` or of tool messages that do not answer the calls before them (see `refusedToolMessages`;
 * not for an LM Studio model key, see `isLMStudioModelKey`). Azure OpenAI serves it behind its own
 * paths and checks (see `azureChatRoute`). On request, the stream cites its first sentences with
 * `url_citation` annotations (`x-mock-url-citations: n`) or is a custom tool's call whose input is
 * the answer's text (`x-mock-custom-tool: <name>`).
 */
export function answerChatCompletions({ body, headers, answerOptions, cut }: RouteInput): RouteResult {
  const request = readChatRequest(body);
  if (request.messages.length === 0) {
    return { status: 400, json: { error: { message: "'messages' must contain at least one message.", type: 'invalid_request_error', param: 'messages', code: null } } };
  }
  const refused = refusedChatContent(body);
  if (refused !== undefined) return { status: 400, json: { error: { message: refused, type: 'invalid_request_error', param: 'messages', code: null } } };
  // every call answered by the tool messages right after it (LM Studio's server does not check)
  const unpaired = isLMStudioModelKey(request.model) ? undefined : refusedToolMessages(body.messages);
  if (unpaired !== undefined) return { status: 400, json: { error: { message: unpaired.message, type: 'invalid_request_error', param: unpaired.param, code: null } } };
  // structured outputs: `response_format: { type: 'json_schema', json_schema: { name, schema, strict } }`
  const format = body.response_format as { type?: unknown; json_schema?: unknown } | undefined;
  const parameter = format?.type === 'json_schema' ? readOpenAIJsonSchema(format.json_schema, 'response_format.json_schema', 'response_format') : undefined;
  if (parameter && 'refusal' in parameter) return { status: 400, json: { error: { ...parameter.refusal, type: 'invalid_request_error' } } };
  const structured = parameter ? (prompt: string) => structuredText(parameter.schema, prompt) : undefined;
  const turn = answerFor(request.messages, { ...answerOptions, tools: request.tools, structured });
  const model = request.model ?? 'mock-model';
  const id = `chatcmpl-mock${hashText(JSON.stringify(request.messages)).toString(36)}`;
  if (body.stream !== true) return { json: openaiCompletion({ turn, model, id }) };
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const customTool = headers['x-mock-custom-tool'];
  const options = {
    usage: includeUsage ? ('chunk' as const) : ('none' as const),
    urlCitations: numberHeader(headers, 'x-mock-url-citations'),
    customTool: typeof customTool === 'string' && customTool !== '' ? customTool : undefined,
  };
  return { ...openaiFrames({ turn: cutTurn(turn, cut), model, id }, options), contentType: 'text/event-stream; charset=utf-8' };
}
