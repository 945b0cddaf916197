import { retryAfterMs } from '../../lib/transport/retryAfter';

describe('retryAfterMs', () => {
  test('retry-after-ms, in ms', () => expect(retryAfterMs({ 'retry-after-ms': '250' }, undefined)).toBe(250));
  test('retry-after, in seconds', () => expect(retryAfterMs({ 'retry-after': '3' }, undefined)).toBe(3000));
  test('retry-after, as an HTTP date', () => {
    const now = Date.parse('Wed, 25 Nov 2026 12:00:00 GMT');
    expect(retryAfterMs({ 'retry-after': 'Wed, 25 Nov 2026 12:00:07 GMT' }, undefined, now)).toBe(7000);
  });
  test('a Google RetryInfo detail in the body', () => {
    const body = { error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '13s' }] } };
    expect(retryAfterMs({}, body)).toBe(13000);
  });
  test('nothing said: undefined; nonsense: undefined', () => {
    expect(retryAfterMs({}, { error: {} })).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, undefined)).toBeUndefined();
  });
});
