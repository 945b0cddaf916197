import { isHttpError } from '../lib/errors/httpError';
import { messageOf } from '../lib/messageOf';

/**
 * The `error.type` of a failure, low in cardinality as the conventions ask: an HTTP error's status
 * code (`'429'`, `'503'`, as the HTTP conventions write it), else the error's class name
 * (`StreamTimeoutError`, `StreamInterruptedError`, `ProviderStreamError`), else `_OTHER`.
 *
 * @example
 * errorType(new HttpError('openai: 429', { status: 429 })); // '429'
 * errorType(new TypeError('x')); // 'TypeError'
 */
export function errorType(error: unknown): string {
  if (isHttpError(error)) return String(error.status);
  if (error instanceof Error && error.name && error.name !== 'Error') return error.name;
  return '_OTHER';
}

/** The message of a failure, for a span's status and events (rxllm errors carry no secret), at most `max` characters. */
export function errorMessage(error: unknown, max = 500): string {
  const message = messageOf(error);
  return message.length > max ? `${message.slice(0, max)}…` : message;
}
