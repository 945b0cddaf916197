/**
 * Turns offsets counted in Unicode code points (the "character" indices of OpenAI's annotations,
 * as Python counts them) into JavaScript string indices (UTF-16 code units), for the text streamed
 * so far. Per piece of text it costs one native scan for surrogates; only the positions of
 * characters outside the Basic Multilingual Plane (emoji, rare CJK) are kept, never the text.
 *
 * @example
 * const offsets = new CodePointOffsets();
 * offsets.push('🦀 Rust');
 * offsets.toUtf16(2); // 3: the crab takes two code units
 */
export class CodePointOffsets {
  /** UTF-16 length of the text so far */
  private length = 0;
  /** UTF-16 index of each astral character's first unit, in order */
  private readonly astral: number[] = [];

  push(text: string): void {
    if (HIGH_SURROGATE.test(text)) {
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code >= 0xd800 && code <= 0xdbff) {
          this.astral.push(this.length + i);
          i++;
        }
      }
    }
    this.length += text.length;
  }

  /** the string index of code point `offset` (offsets past the end keep their distance to it) */
  toUtf16(offset: number): number {
    let index = offset;
    for (let k = 0; k < this.astral.length; k++) {
      // the k-th astral character is code point `astral[k] - k`: those before `offset` take two units
      if (this.astral[k] - k < offset) index++;
      else break;
    }
    return index;
  }
}

const HIGH_SURROGATE = /[\uD800-\uDBFF]/;
