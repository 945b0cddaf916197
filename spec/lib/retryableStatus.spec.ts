import { isRetryableErrorKind } from '../../lib/isRetryableErrorKind';
import { isRetryableStatus } from '../../lib/retryableStatus';
import { toHttpError } from '../../lib/transport/toHttpError';

const STATUSES = Array.from({ length: 500 }, (_, i) => 100 + i);

describe('isRetryableStatus: the one table of statuses worth asking again for', () => {
  test('timeout, conflict, rate limit, server errors and overload are retryable', () => {
    expect(STATUSES.filter(isRetryableStatus)).toEqual([408, 409, 429, 500, 502, 503, 504, 529]);
  });

  test('an HttpError is retryable by the same table (no quota body, no x-should-retry)', () => {
    const httpError = (status: number) => toHttpError({ provider: 'openai', status, headers: {}, text: '{"error":{"message":"x"}}', url: 'http://h/v1', secrets: [] });
    expect(STATUSES.filter((status) => httpError(status).retryable)).toEqual(STATUSES.filter(isRetryableStatus));
  });

  test('an error event inside a stream is retryable by its numeric code through the same table', () => {
    expect(STATUSES.filter((code) => isRetryableErrorKind(undefined, code))).toEqual(STATUSES.filter(isRetryableStatus));
    expect(STATUSES.filter((code) => isRetryableErrorKind(undefined, String(code)))).toEqual(STATUSES.filter(isRetryableStatus));
  });
});
