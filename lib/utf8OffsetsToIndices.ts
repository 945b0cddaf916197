/**
 * UTF-8 byte offsets into `text` → JavaScript string indices (UTF-16 code units) of the same
 * places, in one pass over the text whatever the number of offsets. An offset that falls inside a
 * character's bytes, is negative or lies beyond the text's UTF-8 length gives `undefined`: it
 * names no place in this text. APIs that count in bytes (Gemini's grounding segments and citation
 * sources) are read with it, so that a span still points at the right words after an emoji, a CJK
 * character or an accent.
 *
 * @example
 * utf8OffsetsToIndices('héllo 👋 wörld', [0, 3, 7, 11, 12, 14, 99]);
 * // [0, 2, 6, 8, 9, undefined, undefined]: 'é' is 2 bytes, '👋' 4 bytes (2 code units); 14 is inside 'ö'
 */
export function utf8OffsetsToIndices(text: string, offsets: readonly number[]): Array<number | undefined> {
  const result: Array<number | undefined> = new Array(offsets.length).fill(undefined);
  const order = offsets.map((_, i) => i).filter((i) => Number.isInteger(offsets[i]) && offsets[i] >= 0);
  order.sort((a, b) => offsets[a] - offsets[b]);
  let bytes = 0;
  let index = 0;
  for (const at of order) {
    const wanted = offsets[at];
    // on to the first character boundary at or after `wanted` (a lone surrogate is U+FFFD to UTF-8: 3 bytes)
    while (bytes < wanted && index < text.length) {
      const code = text.codePointAt(index)!;
      bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
      index += code < 0x10000 ? 1 : 2;
    }
    // short of it: past the end; beyond it: inside a character. Either way no place of the text
    if (bytes === wanted) result[at] = index;
  }
  return result;
}
