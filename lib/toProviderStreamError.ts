import { ProviderStreamError } from './errors/providerStreamError';
import { isRetryableErrorKind } from './isRetryableErrorKind';

/**
 * The `ProviderStreamError` for an error payload inside a 200 stream, in any of the usual shapes:
 * `{ error: { message, type, code } }` (OpenAI and compatible servers), `{ type: 'error', error:
 * { type, message } }` (Anthropic), `{ error: { code, status, message } }` (Gemini), `{ error: "…" }`.
 * `errorType` is the error's `type` or `status`; retryable for overloads, rate limits, server errors
 * and timeouts (by type or numeric code).
 *
 * @example
 * toProviderStreamError('gemini', { error: { code: 503, status: 'UNAVAILABLE', message: 'overloaded' } }).retryable; // true
 */
export function toProviderStreamError(provider: string, payload: { error?: unknown }): ProviderStreamError {
  const error = payload.error;
  const e = (error !== null && typeof error === 'object' ? error : {}) as { message?: unknown; type?: unknown; status?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : typeof error === 'string' ? error : JSON.stringify(error ?? payload);
  const errorType = typeof e.type === 'string' ? e.type : typeof e.status === 'string' ? e.status : undefined;
  const code = typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined;
  return new ProviderStreamError({ provider, message, errorType, code, body: payload, retryable: isRetryableErrorKind(errorType, code) });
}
