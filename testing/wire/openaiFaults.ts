import type { MockStatusFault } from '../mockFault';

/** OpenAI's error object: `{ message, type, param, code }`. */
interface OpenAIError {
  message: string;
  type: string;
  param: string | null;
  code: string | null;
}

/** What OpenAI says for an HTTP error status (its texts, without any key or account detail). */
function openaiErrorFor(status: number): OpenAIError {
  switch (status) {
    case 401:
      return { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' };
    case 403:
      return { message: 'You are not allowed to sample from this model.', type: 'invalid_request_error', param: null, code: null };
    case 404:
      return { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' };
    case 429:
      return { message: 'Rate limit reached for requests. Please try again later.', type: 'requests', param: null, code: 'rate_limit_exceeded' };
    case 503:
      return { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null };
    default:
      return status >= 500
        ? { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null }
        : { message: `The request failed with status ${status}.`, type: 'invalid_request_error', param: null, code: null };
  }
}

/**
 * OpenAI's HTTP error body for a `status` fault: `{ error: { message, type, param, code } }` — a 429
 * is `type: 'requests'`, `code: 'rate_limit_exceeded'`, a 5xx `type: 'server_error'`. LM Studio's
 * OpenAI-compatible endpoint shares the route, so it answers the same.
 *
 * @example
 * openaiErrorBody({ kind: 'status', status: 500 }).error.type; // 'server_error'
 */
export function openaiErrorBody({ status }: MockStatusFault): { error: OpenAIError } {
  return { error: openaiErrorFor(status) };
}

/**
 * OpenAI's 400 body for a request it cannot take, saying `message`:
 * `{ error: { message, type: 'invalid_request_error', param: null, code: null } }`.
 *
 * @example
 * openaiInvalidRequest('x-mock-answer: not standard base64').error.type; // 'invalid_request_error'
 */
export function openaiInvalidRequest(message: string): { error: OpenAIError } {
  return { error: { message, type: 'invalid_request_error', param: null, code: null } };
}

/**
 * The error event inside a 200 Chat Completions stream, as OpenAI sends it and the servers that
 * copy its format do: `data: {"error":{…,"type":"server_error"}}`, ended by `separator` (`\n\n`;
 * Perplexity writes `\r\n\r\n`).
 *
 * @example
 * openaiErrorFrame('\n\n'); // 'data: {"error":{"message":"The server had an error …","type":"server_error","param":null,"code":null}}\n\n'
 */
export function openaiErrorFrame(separator: string): string {
  return `data: ${JSON.stringify({ error: openaiErrorFor(500) })}${separator}`;
}
