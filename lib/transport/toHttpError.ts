import { HttpError } from '../errors/httpError';
import { redactDeep, redactText } from '../redact';
import { isRetryableStatus } from '../retryableStatus';
import { describeErrorBody } from './describeErrorBody';
import { retryAfterMs } from './retryAfter';

/**
 * Builds the `HttpError` for a non-2xx answer. `headers` are already redacted; `text` is the body
 * as received. Secrets are removed from the body and the message. A 429 for an exhausted quota
 * (`insufficient_quota`) is not retryable; `x-should-retry` overrides the status rule. An answer
 * whose body broke off (`cut`) is retryable whatever its status: the server's reason never
 * arrived whole, and asking again is how to learn it (a refusal is refused again, whole).
 */
export function toHttpError(init: {
  provider: string;
  status: number;
  headers: Record<string, string>;
  text: string;
  url: string;
  secrets: readonly string[];
  /** the connection broke while the body was read */
  cut?: boolean;
}): HttpError {
  let body: unknown = init.text;
  try {
    body = JSON.parse(init.text);
  } catch {
    // not JSON: keep the text
  }
  body = redactDeep(body, init.secrets);
  const quotaExhausted = /insufficient_quota/.test(init.text);
  const should = init.headers['x-should-retry'];
  const retryable =
    init.cut === true || (should === 'true' ? true : should === 'false' ? false : isRetryableStatus(init.status) && !quotaExhausted);
  return new HttpError({
    provider: init.provider,
    status: init.status,
    body,
    headers: init.headers,
    detail: redactText(describeErrorBody(body), init.secrets),
    retryAfterMs: retryAfterMs(init.headers, body),
    retryable,
    url: init.url.split('?')[0],
  });
}
