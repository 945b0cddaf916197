import { redactDeep, redactHeaders, redactText, REDACTED, secretsOf } from '../../lib/redact';

describe('redaction', () => {
  test('secrets of request headers include the bare bearer token', () => {
    expect(secretsOf({ authorization: 'Bearer sk-abc-123', accept: 'x', 'x-api-key': 'key-9' })).toEqual(['Bearer sk-abc-123', 'sk-abc-123', 'key-9']);
  });
  test('text, headers and deep values lose every secret', () => {
    expect(redactText('bad key sk-abc-123 given', ['sk-abc-123'])).toBe(`bad key ${REDACTED} given`);
    expect(redactHeaders({ 'x-goog-api-key': 'g', 'x-request-id': 'r sk-abc-123' }, ['sk-abc-123'])).toEqual({ 'x-goog-api-key': REDACTED, 'x-request-id': `r ${REDACTED}` });
    expect(redactDeep({ a: ['sk-abc-123'], b: { Authorization: 'anything' }, n: 1 }, ['sk-abc-123'])).toEqual({ a: [REDACTED], b: { Authorization: REDACTED }, n: 1 });
  });
});
