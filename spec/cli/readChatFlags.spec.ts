import { readChatFlags } from '../../cli/readChatFlags';
import { UsageError } from '../../cli/usageError';

describe('readChatFlags', () => {
  test('turns the values into the stream options', () => {
    expect(
      readChatFlags({
        'base-url': 'http://127.0.0.1:8080/v1',
        'max-tokens': '200',
        temperature: '0.7',
        buffer: '10',
        timeout: '30000',
        recover: true,
        strategy: 'sentence',
      }),
    ).toEqual({
      options: { baseURL: 'http://127.0.0.1:8080/v1', maxTokens: 200, temperature: 0.7, bufferChunks: 10, timeout: 30000, streamRecovery: true, recovery: { strategy: 'sentence' } },
    });
    expect(readChatFlags({ timeout: 'off', temperature: '2' })).toEqual({ options: { timeout: false, temperature: 2 } });
    expect(readChatFlags({})).toEqual({ options: {} });
  });

  test.each([
    [{ buffer: 'abc' }, "--buffer needs a whole number of 1 or more, got 'abc'"],
    [{ buffer: '0' }, "--buffer needs a whole number of 1 or more, got '0'"],
    [{ buffer: '2.5' }, "--buffer needs a whole number of 1 or more, got '2.5'"],
    [{ buffer: '1e3' }, "--buffer needs a whole number of 1 or more, got '1e3'"],
    [{ 'max-tokens': '' }, "--max-tokens needs a whole number of 1 or more, got ''"],
    [{ 'max-tokens': '-5' }, "--max-tokens needs a whole number of 1 or more, got '-5'"],
    [{ temperature: 'warm' }, "--temperature needs a number from 0 to 2, got 'warm'"],
    [{ temperature: '2.1' }, "--temperature needs a number from 0 to 2, got '2.1'"],
    [{ timeout: 'soon' }, "--timeout needs a number of milliseconds above 0, or off, got 'soon'"],
    [{ timeout: '0' }, "--timeout needs a number of milliseconds above 0, or off, got '0'"],
    [{ strategy: 'bogus' }, "--strategy needs one of exact, sentence, paragraph, got 'bogus'"],
    [{ 'base-url': 'localhost:8080' }, "--base-url needs an http:// or https:// URL, got 'localhost:8080'"],
    [{ 'base-url': 'http://127.0.0.1:8080/v1', mock: true }, '--base-url and --mock do not go together: --mock streams from the embedded mock server at its own address'],
    [{ fault: 'reset' }, '--fault needs --mock: only the embedded mock server can break its stream on purpose'],
    [{ fault: 'explode', mock: true }, "--fault takes reset, reset@<bytes> or status@<code>, got 'explode'"],
  ])('%j is a usage error in plain words', (values, message) => {
    expect(() => readChatFlags(values)).toThrow(new UsageError(message));
    expect(() => readChatFlags(values)).toThrow(UsageError);
  });

  test('--fault with --mock is read', () => {
    expect(readChatFlags({ mock: true, fault: 'reset@900' })).toEqual({ options: {}, fault: { kind: 'reset', afterBytes: 900 } });
  });
});
