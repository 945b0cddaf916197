import { isRetryableStatus } from './retryableStatus';

const RETRYABLE_KIND = /server_error|internal|overloaded|rate_limit|too_many|timeout|unavailable|capacity|api_error/i;

/**
 * Whether an error reported inside a stream may pass when the request is sent again: a server
 * error, an overload, a rate limit or a timeout (by the provider's error type or a numeric code).
 */
export function isRetryableErrorKind(type: string | undefined, code: unknown): boolean {
  if (type !== undefined && RETRYABLE_KIND.test(type)) return true;
  const n = typeof code === 'number' ? code : typeof code === 'string' ? Number(code) : NaN;
  return isRetryableStatus(n);
}
