import fc from 'fast-check';

/**
 * "Prefix-consistent", as the tests of partial JSON check it: `partial` is contained in `final` when
 * - a string is a prefix of the final string;
 * - a number, boolean or null is the final value itself (they show only once complete);
 * - an array has at most the final's elements: all but its last equal to the final's (deeply), its
 *   last contained in the final's element at that index (it may still be growing);
 * - an object has a subset of the final's keys, in the final's order, all but its last key's value
 *   equal to the final's (deeply), the last one's contained in the final's.
 */
export function containedIn(partial: unknown, final: unknown): boolean {
  if (typeof partial === 'string') return typeof final === 'string' && final.startsWith(partial);
  if (partial === null || typeof partial !== 'object') return Object.is(partial, final);
  if (Array.isArray(partial)) {
    if (!Array.isArray(final) || partial.length > final.length) return false;
    return partial.every((element, i) => (i === partial.length - 1 ? containedIn(element, final[i]) : deepEqual(element, final[i])));
  }
  if (final === null || typeof final !== 'object' || Array.isArray(final)) return false;
  const keys = Object.keys(partial);
  const finalKeys = Object.keys(final);
  // the partial's keys come in the final's order: a prefix of it
  if (!keys.every((key, i) => finalKeys[i] === key)) return false;
  const p = partial as Record<string, unknown>;
  const f = final as Record<string, unknown>;
  return keys.every((key, i) => (i === keys.length - 1 ? containedIn(p[key], f[key]) : deepEqual(p[key], f[key])));
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key, i) => kb[i] === key && deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** Strings with what JSON must escape or may split: quotes, backslashes, control characters, emoji (surrogate pairs), CJK. */
const jsonString = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '/', '\n', '\t', '\u0000', '\u001f', '😀', '流', 'é', '\u2028', 'a', ' '), maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** Random JSON values: nested objects and arrays, strings with escapes and unicode, numbers of every form. */
export const jsonValue = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)),
    jsonString,
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(jsonString, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** A value's JSON: compact, indented with 2 spaces, or with tabs and CRLF line ends. */
export const serialized = (value: unknown) =>
  fc.constantFrom(
    JSON.stringify(value),
    JSON.stringify(value, null, 2),
    JSON.stringify(value, null, '\t').replace(/\n/g, '\r\n'),
  );

/** `text` cut at the given points (sorted, deduplicated) into contiguous pieces that join back to it. */
export function splitAt(text: string, points: number[]): string[] {
  const cuts = [...new Set(points.map((p) => p % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let start = 0;
  for (const cut of cuts) {
    if (cut > start) pieces.push(text.slice(start, cut));
    start = Math.max(start, cut);
  }
  if (start < text.length) pieces.push(text.slice(start));
  return pieces;
}

/** A JSON value, its text, and the text cut at random points (also inside escapes and surrogate pairs). */
export const streamedJson = jsonValue.chain((value) =>
  serialized(value).chain((text) => fc.array(fc.nat(), { maxLength: 30 }).map((points) => ({ value, text, pieces: splitAt(text, points) }))),
);
