import type { RouteResult } from '../route';

/**
 * OpenAI's 400 for a Responses request it refuses, naming the parameter and the reason's code as
 * api.openai.com does: `{ error: { message, type: 'invalid_request_error', param, code } }`.
 *
 * @example
 * responsesBadRequest("Missing required parameter: 'model'.", 'model', 'missing_required_parameter').status; // 400
 */
export const responsesBadRequest = (message: string, param: string | null, code: string | null = null): RouteResult => ({
  status: 400,
  json: { error: { message, type: 'invalid_request_error', param, code } },
});

/**
 * OpenAI's 404 for a response id it does not know (or does not keep: a foreground response cannot be
 * streamed again or cancelled): `Response with id '…' not found.`, an `invalid_request_error`.
 *
 * @example
 * responseNotFound('resp_x').json; // { error: { message: "Response with id 'resp_x' not found.", type: 'invalid_request_error', param: null, code: null } }
 */
export const responseNotFound = (id: string): RouteResult => ({
  status: 404,
  json: { error: { message: `Response with id '${id}' not found.`, type: 'invalid_request_error', param: null, code: null } },
});
