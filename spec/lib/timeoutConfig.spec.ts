import * as t from 'io-ts';
import { isConfigError, streamChat$, DEFAULT_TIMEOUT, TimeoutConfig } from '../../lib';
import { reportErrors, formatIssue } from '../../lib/codec/reportErrors';
import { isLeft } from '../../lib/codec/isLeft';
import { toTimeoutLimits } from '../../lib/types/timeoutConfig';
import { collect } from '../support/collect';

/** The issues of `{ timeout: value }`, as the options codec reports them. */
const Options = t.partial({ timeout: TimeoutConfig });
const issues = (value: unknown) => {
  const decoded = Options.decode({ timeout: value });
  return isLeft(decoded) ? reportErrors(decoded.left).map(formatIssue) : [];
};

describe('timeout: the defaults and what a given timeout changes', () => {
  test('DEFAULT_TIMEOUT: 10 minutes to the first chunk, 5 minutes without a byte, no total', () => {
    expect(DEFAULT_TIMEOUT).toEqual({ firstChunkMs: 600_000, idleMs: 300_000 });
    expect(Object.isFrozen(DEFAULT_TIMEOUT)).toBe(true);
  });

  test.each<[string, TimeoutConfig | undefined, ReturnType<typeof toTimeoutLimits>]>([
    ['no timeout: the defaults', undefined, { firstChunkMs: 600_000, idleMs: 300_000 }],
    ['a number is the idle limit; the first-chunk default stays', 30_000, { firstChunkMs: 600_000, idleMs: 30_000 }],
    ['{ totalMs } adds a total and keeps both defaults', { totalMs: 60_000 }, { firstChunkMs: 600_000, idleMs: 300_000, totalMs: 60_000 }],
    ['{ firstChunkMs } replaces only that default', { firstChunkMs: 5_000 }, { firstChunkMs: 5_000, idleMs: 300_000 }],
    ['{ idleMs: false } turns idle off', { idleMs: false }, { firstChunkMs: 600_000 }],
    ['{ firstChunkMs: false, totalMs: false } turns those off', { firstChunkMs: false, totalMs: false }, { idleMs: 300_000 }],
    ['all three given', { firstChunkMs: 1, idleMs: 2, totalMs: 3 }, { firstChunkMs: 1, idleMs: 2, totalMs: 3 }],
    ['false turns every limit off', false, {}],
    ['an empty object keeps the defaults', {}, { firstChunkMs: 600_000, idleMs: 300_000 }],
  ])('%s', (_, timeout, limits) => {
    expect(toTimeoutLimits(timeout)).toEqual(limits);
  });
});

describe('timeout: the codec', () => {
  test.each<[string, unknown]>([
    ['a positive number', 1500],
    ['false', false],
    ['an object of numbers', { firstChunkMs: 1, idleMs: 2, totalMs: 3 }],
    ['an object with false limits', { firstChunkMs: false, idleMs: false, totalMs: false }],
    ['an empty object', {}],
  ])('accepts %s', (_, value) => {
    expect(TimeoutConfig.is(value)).toBe(true);
    expect(issues(value)).toEqual([]);
  });

  test.each<[string, unknown, string[]]>([
    ['a string', 'soon', ['timeout: expected a positive number or false or an object { firstChunkMs?, idleMs?, totalMs? }, got "soon"']],
    ['zero (false turns a limit off, not 0)', 0, ['timeout: expected a positive number or false or an object { firstChunkMs?, idleMs?, totalMs? }, got 0']],
    ['true', true, ['timeout: expected a positive number or false or an object { firstChunkMs?, idleMs?, totalMs? }, got true']],
    ['a limit of the wrong type', { idleMs: 'soon' }, ['timeout.idleMs: expected a positive number or false, got "soon"']],
    ['a negative limit', { firstChunkMs: -1 }, ['timeout.firstChunkMs: expected a positive number or false, got -1']],
    ['true as a limit', { totalMs: true }, ['timeout.totalMs: expected a positive number or false, got true']],
    ['a limit rxllm does not know (a typo must not leave the default silently)', { idleMS: 1000 }, ['timeout.idleMS: expected no other key (the limits are firstChunkMs, idleMs, totalMs), got 1000']],
  ])('refuses %s, saying what is accepted', (_, value, expected) => {
    expect(TimeoutConfig.is(value)).toBe(false);
    expect(issues(value)).toEqual(expected);
  });

  test('streamChat$ reports a bad timeout as a ConfigError naming the path, before any request', async () => {
    const { error } = await collect(streamChat$('openai', [{ role: 'user', content: 'x' }], { baseURL: 'http://127.0.0.1:9/v1', timeout: { idleMs: 0 } }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toBe('Invalid options: timeout.idleMs: expected a positive number or false, got 0');
  });
});
