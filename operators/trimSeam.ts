/** The fewest characters an overlap must have before it is taken for a repeat and trimmed. */
export const MIN_OVERLAP = 8;

/**
 * How many leading characters of a continuation's `start` repeat what was already delivered and
 * must be dropped: white space when the delivered text already ends with white space, and the
 * longest overlap (of `MIN_OVERLAP` characters or more) where the model starts by repeating the
 * tail of what it had said.
 *
 * @example
 * trimSeam('The sky is blue because ', ' blue because of scattering'); // 15 (' blue because ' is dropped)
 */
export function trimSeam(delivered: string, start: string): number {
  const endsWithSpace = /\s$/.test(delivered);
  let skip = 0;
  if (endsWithSpace) while (skip < start.length && /\s/.test(start[skip])) skip++;
  const rest = start.slice(skip);
  const tail = endsWithSpace ? delivered.trimEnd() : delivered;
  for (let k = Math.min(rest.length, tail.length); k >= MIN_OVERLAP; k--) {
    if (!tail.endsWith(rest.slice(0, k))) continue;
    let end = skip + k;
    // the delivered text already has the white space that follows the repeated words
    if (endsWithSpace) while (end < start.length && /\s/.test(start[end])) end++;
    return end;
  }
  return skip;
}
