import { redactDeep, redactHeaders, redactText, REDACTED, secretsOf, secretsOfURL } from '../../lib/redact';

describe('redaction', () => {
  test('secrets of request headers include the bare bearer token', () => {
    expect(secretsOf({ authorization: 'Bearer sk-abc-123', accept: 'x', 'x-api-key': 'key-9' })).toEqual(['Bearer sk-abc-123', 'sk-abc-123', 'key-9']);
  });
  test('text, headers and deep values lose every secret', () => {
    expect(redactText('bad key sk-abc-123 given', ['sk-abc-123'])).toBe(`bad key ${REDACTED} given`);
    expect(redactHeaders({ 'x-goog-api-key': 'g', 'x-request-id': 'r sk-abc-123' }, ['sk-abc-123'])).toEqual({ 'x-goog-api-key': REDACTED, 'x-request-id': `r ${REDACTED}` });
    expect(redactDeep({ a: ['sk-abc-123'], b: { Authorization: 'anything' }, n: 1 }, ['sk-abc-123'])).toEqual({ a: [REDACTED], b: { Authorization: REDACTED }, n: 1 });
  });
  test("a URL's credentials: the password as written and decoded, user:password and its base64 (a Basic header's)", () => {
    expect(secretsOfURL('http://bob:p%40ss-9@proxy.example:3128')).toEqual(['p%40ss-9', 'p@ss-9', 'bob:p@ss-9', Buffer.from('bob:p@ss-9').toString('base64')]);
    expect(secretsOfURL('https://proxy.example:3128')).toEqual([]);
    expect(secretsOfURL('https://only-user@proxy.example')).toEqual([]);
    expect(secretsOfURL('not a url')).toEqual([]);
  });
});
