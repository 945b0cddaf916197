/**
 * The HTTP statuses worth asking again for: a timeout (408), a conflict (409), a rate limit (429),
 * a server error or an unreachable upstream (500, 502, 503, 504) and Anthropic's overload (529).
 * The one table both an `HttpError` (`toHttpError`) and an error event inside a stream
 * (`isRetryableErrorKind`, by its numeric code) read.
 */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 409, 429, 500, 502, 503, 504, 529]);

/**
 * Whether a request that got `status` may pass when it is sent again.
 *
 * @example
 * isRetryableStatus(529); // true
 * isRetryableStatus(400); // false
 */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status);
}
