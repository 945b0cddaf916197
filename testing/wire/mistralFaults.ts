import type { MockStatusFault } from '../mockFault';

/**
 * Mistral's HTTP error body for a `status` fault, in its own shape (not OpenAI's):
 * `{ object: 'error', message, type, param: null, code }` — a 429 is
 * `{ message: 'Rate limit exceeded', type: 'rate_limited', code: '1300' }`, as the API answers.
 *
 * @example
 * mistralErrorBody({ kind: 'status', status: 429 }).type; // 'rate_limited'
 */
export function mistralErrorBody({ status }: MockStatusFault): { object: 'error'; message: string; type: string; param: null; code: string | null } {
  if (status === 429) return { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', param: null, code: '1300' };
  if (status === 401) return { object: 'error', message: 'Unauthorized', type: 'invalid_request_error', param: null, code: null };
  if (status >= 500) return { object: 'error', message: 'Service unavailable, please retry later.', type: 'internal_server_error', param: null, code: null };
  return { object: 'error', message: `Invalid request (status ${status})`, type: 'invalid_request_error', param: null, code: null };
}

/**
 * Mistral's 400 body for a request it cannot take, saying `message`, in its own shape:
 * `{ object: 'error', message, type: 'invalid_request_error', param: null, code: null }`.
 *
 * @example
 * mistralInvalidRequest('x-mock-answer: not standard base64').object; // 'error'
 */
export function mistralInvalidRequest(message: string): { object: 'error'; message: string; type: string; param: null; code: null } {
  return { object: 'error', message, type: 'invalid_request_error', param: null, code: null };
}
