/**
 * The checks hand-written wire guards are built from (see `specializeGuard`), each the exact
 * equivalent of an io-ts codec's `is` on parsed JSON: `isRecord` ↔ `t.UnknownRecord` (what
 * `t.partial` checks first), `isOptionalString` ↔ `nullable(t.string)` read from a `t.partial`
 * (absent, `undefined`, `null` or a string), and so on.
 *
 * @example
 * const isPoint = (u: unknown) => isRecord(u) && isOptionalNumber(u.x);
 */
export const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u);

export const isOptionalString = (u: unknown): boolean => u === undefined || u === null || typeof u === 'string';

export const isOptionalNumber = (u: unknown): boolean => u === undefined || u === null || typeof u === 'number';

export const isOptionalBoolean = (u: unknown): boolean => u === undefined || u === null || typeof u === 'boolean';

/** absent, `undefined`, `null`, or an array whose every item passes `item` */
export function isOptionalArrayOf(u: unknown, item: (u: unknown) => boolean): boolean {
  if (u === undefined || u === null) return true;
  if (!Array.isArray(u)) return false;
  for (let i = 0; i < u.length; i++) if (!item(u[i])) return false;
  return true;
}
