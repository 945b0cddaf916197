import { mockFaultFor, readFaultFlag } from '../../cli/faultFlag';
import { UsageError } from '../../cli/usageError';

describe('the --fault flag', () => {
  test('reset, reset@<bytes> and status@<code> are read', () => {
    expect(readFaultFlag('reset')).toEqual({ kind: 'reset' });
    expect(readFaultFlag('reset@0')).toEqual({ kind: 'reset', afterBytes: 0 });
    expect(readFaultFlag('reset@1200')).toEqual({ kind: 'reset', afterBytes: 1200 });
    expect(readFaultFlag('status@503')).toEqual({ kind: 'status', status: 503 });
  });

  test.each([
    ['reset@', "--fault reset@<bytes> needs a whole number of bytes, got 'reset@'"],
    ['reset@ten', "--fault reset@<bytes> needs a whole number of bytes, got 'reset@ten'"],
    ['status', "--fault status@<code> needs an HTTP error status from 400 to 599, got 'status'"],
    ['status@200', "--fault status@<code> needs an HTTP error status from 400 to 599, got 'status@200'"],
    ['reset@1@2', "--fault takes reset, reset@<bytes> or status@<code>, got 'reset@1@2'"],
    ['stall', "--fault takes reset, reset@<bytes> or status@<code>, got 'stall'"],
  ])('%j is a usage error', (value, message) => {
    expect(() => readFaultFlag(value)).toThrow(new UsageError(message));
  });

  test("reset drops the connection halfway through the answer's text; the others are the mock's faults as given", () => {
    expect(mockFaultFor({ kind: 'reset' }, 'x'.repeat(301))).toEqual({ kind: 'cut', afterChars: 150 });
    expect(mockFaultFor({ kind: 'reset', afterBytes: 700 }, 'anything')).toEqual({ kind: 'reset', afterBytes: 700 });
    expect(mockFaultFor({ kind: 'status', status: 429 }, 'anything')).toEqual({ kind: 'status', status: 429 });
  });
});
