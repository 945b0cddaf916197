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

/**
 * The property of issue 19's acceptance over one run of `partialObjects()`: at least one value,
 * each contained in the final value (see `containedIn`), the last one `JSON.parse(text)` itself, and
 * no value repeating the one before it.
 */
export function expectPrefixConsistent(values: unknown[], text: string): void {
  const expected = JSON.parse(text);
  expect(values.length).toBeGreaterThan(0);
  for (const value of values) expect(containedIn(value, expected)).toBe(true);
  expect(deepEqual(values[values.length - 1], expected)).toBe(true);
  for (let i = 1; i < values.length; i++) expect(deepEqual(values[i], values[i - 1])).toBe(false);
}

/** Strings with what JSON must escape or may split: quotes, backslashes, control characters, emoji (surrogate pairs), CJK. */
export const jsonString = fc.oneof(
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

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The offsets of `text` where a cut is hardest to read across: inside an escape (after its
 * backslash, and inside the four digits of a `\uXXXX`), between the halves of a surrogate pair, and
 * between the CR and LF of a line end.
 */
export function trickyOffsets(text: string): number[] {
  const offsets: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      const length = text[i + 1] === 'u' ? 6 : 2;
      for (let k = 1; k < length; k++) offsets.push(i + k);
      i += length - 1;
    } else if (isHighSurrogate(text.charCodeAt(i)) || (text[i] === '\r' && text[i + 1] === '\n')) {
      offsets.push(i + 1);
    }
  }
  return offsets;
}

/**
 * Random cut points into `text` (offsets 0 to its length, unsorted, maybe repeated): up to 24
 * anywhere, and up to 6 of its `trickyOffsets`, so that cuts inside escapes and surrogate pairs
 * happen in most runs rather than by luck.
 */
export function cutPoints(text: string): fc.Arbitrary<number[]> {
  const anywhere = fc.array(fc.nat({ max: text.length }), { maxLength: 24 });
  const tricky = trickyOffsets(text);
  if (tricky.length === 0) return anywhere;
  return fc.tuple(anywhere, fc.array(fc.constantFrom(...tricky), { maxLength: 6 })).map(([some, more]) => [...some, ...more]);
}

/** The `x-mock-split` header that makes the mock server cut the answer's text into content deltas at `points`. */
export const splitHeader = (points: readonly number[]): Record<string, string> => ({ 'x-mock-split': points.join(',') });
