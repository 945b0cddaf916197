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
 *
 * A 2xx answer that is not the stream asked for (`expected`: see `streamContentTypeMismatch`) is an
 * `HttpError` of that status too, whose message names the content type that came and the start of
 * the body; it is not retryable (the proxy or gateway that answered so answers the same again), and
 * only `x-should-retry` says otherwise.
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
  /** a 2xx answer whose content type is not the stream's: what was expected instead */
  expected?: string;
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
    init.expected !== undefined
      ? should === 'true'
      : init.cut === true || (should === 'true' ? true : should === 'false' ? false : isRetryableStatus(init.status) && !quotaExhausted);
  const described = describeErrorBody(body);
  const detail = init.expected === undefined ? described : `${init.headers['content-type']} instead of ${init.expected}: ${described}`;
  return new HttpError({
    provider: init.provider,
    status: init.status,
    body,
    headers: init.headers,
    detail: redactText(detail, init.secrets),
    retryAfterMs: retryAfterMs(init.headers, body),
    retryable,
    url: redactText(init.url.split('?')[0], init.secrets),
  });
}
