import * as t from 'io-ts';
import { NonEmptyString, nullable, PositiveNumber } from '../../lib/codec/readable';
import { formatIssue, render, reportErrors } from '../../lib/codec/reportErrors';

const issues = (codec: t.Mixed, value: unknown) => {
  const result = codec.decode(value);
  if (result._tag === 'Right') throw new Error('expected a failure');
  return reportErrors(result.left).map(formatIssue);
};

describe('readable io-ts errors', () => {
  test('of a union, the deepest failing path is reported', () => {
    const Options = t.partial({ timeout: t.union([PositiveNumber, t.partial({ idleMs: PositiveNumber })]) });
    expect(issues(Options, { timeout: { idleMs: 'soon' } })).toEqual(['timeout.idleMs: expected a positive number, got "soon"']);
  });

  test('branches failing at the same path are merged', () => {
    expect(issues(t.type({ a: nullable(t.string) }), { a: 5 })).toEqual(['a: expected string or null or undefined, got 5']);
  });

  test('array indices are part of the path', () => {
    expect(issues(t.array(t.type({ role: t.keyof({ user: null }) })), [{ role: 'user' }, { role: 'bot' }])).toEqual(['1.role: expected "user", got "bot"']);
  });

  test('the value of a secret path is never rendered', () => {
    expect(issues(t.partial({ apiKey: NonEmptyString }), { apiKey: 12345678 })).toEqual(['apiKey: expected a non-empty string, got <redacted>']);
    expect(issues(t.partial({ headers: t.record(t.string, t.string) }), { headers: { authorization: 42 } })).toEqual([
      'headers.authorization: expected string, got <redacted>',
    ]);
  });

  test('render cuts long values and names functions', () => {
    expect(render('x'.repeat(100))).toHaveLength(60);
    expect(render(function soon() {})).toBe('a function (soon)');
    expect(render(undefined)).toBe('undefined');
  });
});
