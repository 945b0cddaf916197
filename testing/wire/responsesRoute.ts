import { cutTurn } from '../cutTurn';
import { answerFor, hashText, promptOf } from '../mockModel';
import { structuredText } from '../structuredAnswer';
import { readOpenAIJsonSchema } from './openaiJsonSchema';
import type { Route, RouteInput, RouteResult } from '../route';
import { BACKGROUND_RESPONSES, backgroundId } from './backgroundResponses';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';
import { responsesBadRequest as badRequest } from './responsesErrors';
import { REASONING_PAIRS, refusedReasoning, rememberReasoning } from './responsesReasoning';
import { readResponsesRequest, unansweredCall } from './responsesRequest';
import { missingToolOutput } from './responsesMissingOutput';
import { queuedResponse, requestEcho, RESPONSES_STREAM_TYPE, responsesFrames, responsesObject, type ResponsesWireTurn } from './responsesWire';
import { refusedResponsesContent } from './contentParts';

/** The smallest `max_output_tokens` the API takes. */
const MIN_OUTPUT_TOKENS = 16;

/**
 * OpenAI Responses (`POST /v1/responses`): `model`, `input` (a string, or message, `function_call`
 * and `function_call_output` items), `instructions`, `tools` (flat `function` tools),
 * `max_output_tokens`, `reasoning` (`summary` asked for: the answer thinks, and streams its summary;
 * `include: ['reasoning.encrypted_content']` adds the reasoning item's `encrypted_content`), custom
 * tools (`type: 'custom'`: a call of one is a `custom_tool_call` whose input is the prompt),
 * `temperature`, `text.format` (a `json_schema` format checked as the API checks it and answered with
 * JSON of its schema) and `stream`. Streams as the API does (see `responsesFrames`); without `stream:
 * true`, answers the response object. Refuses what api.openai.com refuses, with its 400 body
 * `{ error: { message, type: 'invalid_request_error', param, code } }`: a missing `model` or
 * `input` ("Missing required parameter: 'model'."), a `max_output_tokens` below 16, a
 * `function_call_output` that answers no `function_call` before it ("No tool call found for
 * function call output with call_id …"), a `function_call` without a `function_call_output` after
 * it ("No tool output found for function call …", see `missingToolOutput`), and reasoning items it
 * cannot take back (see `refusedReasoning`; the pairs it checks are those of the responses this
 * server streamed). Like the Chat Completions route, it does not check the API key. Its HTTP errors are OpenAI's (see
 * `openaiErrorBody`).
 *
 * `background: true` creates a background response: refused with `store: false` (the API keeps a
 * background response, so it must be stored); else its objects say `background: true`, it streams
 * `queued` on `response.created` (without `stream`, it answers the `queued` object), gets an id of its
 * own (see `backgroundId`), and the server keeps it whole, to stream it again from any event
 * (`GET /v1/responses/{id}`, see `responsesRetrieveRoute`) and to cancel it (`responsesCancelRoute`).
 */
export const responsesRoute: Route = {
  answer: answerResponses,
  errorBody: openaiErrorBody,
  invalidRequest: openaiInvalidRequest,
};

function answerResponses({ body, answerOptions, cut, memory }: RouteInput): RouteResult {
  if (typeof body.model !== 'string' || body.model === '') return badRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter');
  if (body.input === undefined || body.input === null) return badRequest("Missing required parameter: 'input'.", 'input', 'missing_required_parameter');
  const max = body.max_output_tokens;
  if (typeof max === 'number' && max < MIN_OUTPUT_TOKENS) {
    return badRequest(
      `Invalid 'max_output_tokens': integer below minimum value. Expected a value >= ${MIN_OUTPUT_TOKENS}, but got ${max} instead.`,
      'max_output_tokens',
      'integer_below_min_value',
    );
  }
  const refused = refusedResponsesContent(body);
  if (refused !== undefined) return badRequest(refused, 'input');
  const orphan = unansweredCall(body.input);
  if (orphan !== undefined) return badRequest(orphan, 'input');
  const pairs = memory.recall(REASONING_PAIRS);
  const unpaired = refusedReasoning(body.input, body.store, pairs);
  if (unpaired) return unpaired;
  // every call answered later in the input (checked after the items' own shapes, as the API does)
  const unanswered = missingToolOutput(body.input);
  if (unanswered !== undefined) return badRequest(unanswered, 'input');
  const background = body.background === true;
  if (background && body.store === false) return badRequest("Background mode requires 'store' to be true.", 'store');

  const request = readResponsesRequest(body);
  // structured outputs: `text: { format: { type: 'json_schema', name, schema, strict } }`
  const format = (body.text as { format?: { type?: unknown } } | undefined)?.format;
  const parameter = format?.type === 'json_schema' ? readOpenAIJsonSchema(format, 'text.format', 'text.format.schema') : undefined;
  if (parameter && 'refusal' in parameter) return badRequest(parameter.refusal.message, parameter.refusal.param, parameter.refusal.code);
  const structured = parameter ? (prompt: string) => structuredText(parameter.schema, prompt) : undefined;
  const answer = answerFor(request.messages, { ...answerOptions, tools: request.tools, thinking: request.reasoningSummary, structured });
  // a custom tool takes free text: the mock model's input to one is the prompt, as it stands
  const prompt = promptOf(request.messages);
  const turn = { ...answer, toolCalls: answer.toolCalls.map((call) => (request.customTools.has(call.name) ? { ...call, arguments: prompt } : call)) };
  const responses = memory.recall(BACKGROUND_RESPONSES);
  const id = `resp_mock${hashText(JSON.stringify(request.messages)).toString(36)}`;
  const wire: ResponsesWireTurn = {
    turn,
    model: body.model,
    id: background ? backgroundId(responses, id) : id,
    maxOutputTokens: request.maxOutputTokens,
    echo: requestEcho(body),
    background,
    encryptedReasoning: Array.isArray(body.include) && body.include.includes('reasoning.encrypted_content'),
    customTools: request.customTools,
  };
  rememberReasoning(pairs, responsesObject(wire).output as Array<Record<string, unknown>>);
  // a background response is kept whole, to be streamed again and cancelled; a stored foreground one is only
  // remembered, so that a cancel of it is refused rather than not found
  if (background) responses.kept.set(wire.id, { stream: responsesFrames(wire), object: responsesObject(wire) });
  else if (body.store !== false) responses.foreground.add(wire.id);
  if (body.stream !== true) return { json: background ? queuedResponse(wire) : responsesObject(wire) };
  return { ...responsesFrames({ ...wire, turn: cutTurn(turn, cut) }), contentType: RESPONSES_STREAM_TYPE };
}
