/**
 * The end of a sentence, the one definition of it (recovery's `sentence` commit unit, the seam of a
 * continuation, the checkpoints of content moderation): `.` `!` `?` `…`, then any closing quotes,
 * brackets or Markdown emphasis (`"` `'` `”` `’` `)` `]` `»` `*` `_` `」` `』`), then white space;
 * or a CJK full stop `。` `！` `？` and its closers, where no white space need follow (CJK text has
 * none). Punctuation not followed by white space is no end (`3.14`, `e.g.x`), and so is
 * punctuation at the very end of a text: the next character may still be a digit.
 *
 * A match is the punctuation with its closers (group 1 for Latin, group 2 for CJK) and the white
 * space after it; the sentence ends after the punctuation, the next one begins after the white space.
 */
export const SENTENCE_END = /([.!?…]["'”’)\]»*_」』]*)\s+|([。！？]["'”’)\]»*_」』]*)\s*/g;

/** Punctuation and closers: what may stand between a sentence's last word and its end. */
const PUNCTUATION = new Set(['.', '!', '?', '…', '。', '！', '？', '"', "'", '”', '’', ')', ']', '»', '*', '_', '」', '』']);

/**
 * Where the last complete sentence of `text` ends (after its punctuation and closers, before the
 * white space), scanning only from about `from` on (the punctuation may stand before `from`), so a
 * scan over streamed text reads each character about once. `-1` when no sentence ends at or after
 * `from`.
 *
 * @example
 * lastSentenceEndIn('It works. Then', 0); // 9
 * lastSentenceEndIn('Pi is 3.14 and', 0); // -1
 */
export function lastSentenceEndIn(text: string, from: number): number {
  let start = Math.max(0, Math.min(from, text.length));
  while (start > 0 && PUNCTUATION.has(text[start - 1])) start--;
  SENTENCE_END.lastIndex = start;
  let end = -1;
  for (let m = SENTENCE_END.exec(text); m !== null; m = SENTENCE_END.exec(text)) {
    const at = m.index + (m[1] ?? m[2]).length;
    if (at >= from) end = at;
  }
  return end;
}
