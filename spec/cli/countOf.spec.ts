import { countOf } from '../../cli/countOf';

describe('countOf', () => {
  test('the singular for exactly one, the plural for every other count', () => {
    expect(countOf(1, 'chunk')).toBe('1 chunk');
    expect(countOf(0, 'chunk')).toBe('0 chunks');
    expect(countOf(2, 'token')).toBe('2 tokens');
  });

  test('a plural of its own when the noun has one', () => {
    expect(countOf(1, 'recovery', 'recoveries')).toBe('1 recovery');
    expect(countOf(3, 'retry', 'retries')).toBe('3 retries');
  });
});
