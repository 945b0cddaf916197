/**
 * A count and its noun, singular for exactly one: `1 chunk`, `0 chunks`, `2 retries`. The plural is
 * the noun plus `s` unless given (`countOf(n, 'recovery', 'recoveries')`).
 */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
