import * as t from 'io-ts';
import { isLeft } from './isLeft';

/** What a rule found wrong: what was expected, and the field it is about (the value itself when absent). */
export interface RuleBreach {
  at?: string;
  expected: string;
  /** how the failing value is shown, when not as itself (`neither`) */
  got?: string;
}

/**
 * A codec of the values of `codec` that also keep `rule`, a check across fields that no single
 * field's codec can make (`window` at least `threshold`; at least one of `size`, `maxWaitMs`,
 * `adaptive`). `rule` runs on a value the fields' codecs accepted, and returns `undefined` when it
 * holds, else the issue to report: at `at` (a field) or at the value itself, with its `expected`.
 *
 * @example
 * const Range = refineObject(t.type({ min: t.number, max: t.number }), (r) =>
 *   r.max >= r.min ? undefined : { at: 'max', expected: `a number ≥ min (${r.min})` });
 * // checkConfig(Range, { min: 2, max: 1 }, 'range') → ConfigError 'Invalid range: max: expected a number ≥ min (2), got 1'
 */
export function refineObject<C extends t.Mixed>(codec: C, rule: (value: t.TypeOf<C>) => RuleBreach | undefined): t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown> {
  return new t.Type<t.TypeOf<C>, t.OutputOf<C>, unknown>(
    codec.name,
    (u): u is t.TypeOf<C> => codec.is(u) && rule(u) === undefined,
    (u, c) => {
      // the fields are checked in the inner codec's own context, so that its structure (an
      // intersection's members) reads in the issue paths as it does without the rule
      const result = codec.validate(u, [...c.slice(0, -1), { ...c[c.length - 1], type: codec }]);
      if (isLeft(result)) return result;
      const breach = rule(result.right);
      if (!breach) return result;
      const named = new t.Type<never, never, unknown>(breach.expected, (_): _ is never => false, t.failure, t.identity);
      if (breach.at === undefined) return t.failure(u, [...c.slice(0, -1), { ...c[c.length - 1], type: named }], breach.got);
      const value = (result.right as Record<string, unknown>)[breach.at];
      return t.failure(value, [...c, { key: breach.at, type: named, actual: u }], breach.got);
    },
    codec.encode,
  );
}
