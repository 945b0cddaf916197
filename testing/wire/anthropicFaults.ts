import type { MockStatusFault } from '../mockFault';

/** An Anthropic error body: `{ type: 'error', error: { type, message }, request_id }`. */
export function anthropicError(type: string, message: string, requestId = 'req_mock'): Record<string, unknown> {
  return { type: 'error', error: { type, message }, request_id: requestId };
}

/** The `error.type` Anthropic gives an HTTP status, from its errors page. */
function anthropicErrorType(status: number): string {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

const MESSAGES: Record<string, string> = {
  rate_limit_error: 'Number of request tokens has exceeded your per-minute rate limit.',
  overloaded_error: 'Overloaded',
  api_error: 'Internal server error',
  timeout_error: 'Request timed out',
  authentication_error: 'invalid x-api-key',
};

/**
 * Anthropic's HTTP error body for a `status` fault: `{ type: 'error', error: { type, message },
 * request_id }`, the type from the status (429 `rate_limit_error`, 529 and 503 `overloaded_error`,
 * other 5xx `api_error`, …).
 *
 * @example
 * anthropicErrorBody({ kind: 'status', status: 529 }); // { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_mock' }
 */
export function anthropicErrorBody({ status }: MockStatusFault): Record<string, unknown> {
  const type = anthropicErrorType(status);
  return anthropicError(type, MESSAGES[type] ?? `The request failed with status ${status}.`);
}

/** Anthropic's error inside a 200 stream: `event: error` with an `overloaded_error`, after which the stream ends. */
export const ANTHROPIC_ERROR_FRAME = 'event: error\ndata: {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}\n\n';
