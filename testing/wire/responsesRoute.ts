import { cutTurn } from '../cutTurn';
import { answerFor, hashText } from '../mockModel';
import type { Route, RouteInput, RouteResult } from '../route';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';
import { readResponsesRequest, unansweredCallId } from './responsesRequest';
import { requestEcho, responsesFrames, responsesObject } from './responsesWire';

/** OpenAI's 400 body for a request it refuses, naming the parameter and the reason's code as api.openai.com does. */
const badRequest = (message: string, param: string | null, code: string | null = null): RouteResult => ({
  status: 400,
  json: { error: { message, type: 'invalid_request_error', param, code } },
});

/** The smallest `max_output_tokens` the API takes. */
const MIN_OUTPUT_TOKENS = 16;

/**
 * OpenAI Responses (`POST /v1/responses`): `model`, `input` (a string, or message, `function_call`
 * and `function_call_output` items), `instructions`, `tools` (flat `function` tools),
 * `max_output_tokens`, `reasoning` (`summary` asked for: the answer thinks, and streams its summary),
 * `temperature` and `stream`. Streams as the API does (see `responsesFrames`); without `stream:
 * true`, answers the response object. Refuses what api.openai.com refuses, with its 400 body
 * `{ error: { message, type: 'invalid_request_error', param, code } }`: a missing `model` or
 * `input` ("Missing required parameter: 'model'."), a `max_output_tokens` below 16, and a
 * `function_call_output` that answers no `function_call` before it ("No tool call found for
 * function call output with call_id …"). Like the Chat Completions route, it does not check the
 * API key. Its HTTP errors are OpenAI's (see `openaiErrorBody`).
 */
export const responsesRoute: Route = {
  answer: answerResponses,
  errorBody: openaiErrorBody,
  invalidRequest: openaiInvalidRequest,
};

function answerResponses({ body, answerOptions, cut }: RouteInput): RouteResult {
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
  const orphan = unansweredCallId(body.input);
  if (orphan !== undefined) return badRequest(`No tool call found for function call output with call_id ${orphan}.`, 'input');

  const request = readResponsesRequest(body);
  const turn = answerFor(request.messages, { ...answerOptions, tools: request.tools, thinking: request.reasoningSummary });
  const wire = {
    turn,
    model: body.model,
    id: `resp_mock${hashText(JSON.stringify(request.messages)).toString(36)}`,
    maxOutputTokens: request.maxOutputTokens,
    echo: requestEcho(body),
  };
  if (body.stream !== true) return { json: responsesObject(wire) };
  return { ...responsesFrames({ ...wire, turn: cutTurn(turn, cut) }), contentType: 'text/event-stream; charset=utf-8' };
}
