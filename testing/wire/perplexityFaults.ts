import type { MockStatusFault } from '../mockFault';

/**
 * Perplexity's HTTP error body for a `status` fault: `{ error: { message, type, code } }` with
 * `code` a NUMBER equal to the status (OpenAI's is a string).
 *
 * @example
 * perplexityErrorBody({ kind: 'status', status: 429 }).error.code; // 429
 */
export function perplexityErrorBody({ status }: MockStatusFault): { error: { message: string; type: string; code: number } } {
  if (status === 429) return { error: { message: 'Rate limit exceeded. Please try again later.', type: 'rate_limit_exceeded', code: status } };
  if (status === 401) return { error: { message: 'Invalid API key provided. Ensure your API key is correct and active.', type: 'invalid_api_key', code: status } };
  if (status >= 500) return { error: { message: 'Internal server error. Please try again later.', type: 'internal_server_error', code: status } };
  return { error: { message: `The request failed with status ${status}.`, type: 'bad_request', code: status } };
}

/**
 * Perplexity's 400 body for a request it cannot take, saying `message`:
 * `{ error: { message, type: 'bad_request', code: 400 } }`.
 *
 * @example
 * perplexityInvalidRequest('x-mock-answer: not standard base64').error.code; // 400
 */
export function perplexityInvalidRequest(message: string): { error: { message: string; type: string; code: number } } {
  return { error: { message, type: 'bad_request', code: 400 } };
}
