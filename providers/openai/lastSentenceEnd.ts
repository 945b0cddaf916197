/** Sentence-ending punctuation that needs white space after it (`3.14`, `e.g.` are not ends). */
const TERMINAL = new Set(['.', '!', '?', '…']);
/** CJK sentence-ending punctuation: an end by itself (no space follows it in CJK text). */
const CJK_TERMINAL = new Set(['。', '！', '？']);
/** What may stand between the punctuation and the space: closing quotes, brackets, Markdown emphasis. */
const CLOSING = new Set(['"', "'", '”', '’', ')', ']', '»', '*', '_']);

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\u3000' || c === '\u00a0';

/**
 * Where the last complete sentence of `text` ends, scanning only the characters from `from` on (so
 * a scan over streamed text reads each character about once; the punctuation may stand before
 * `from`): just after a line break, just after `。！？`, or at the white space that follows `.`
 * `!` `?` `…` (closing quotes, brackets or Markdown emphasis may come between). `-1` when there is
 * none. Punctuation at the very end of `text` is not an end yet: the next character may be a digit
 * (`3.14`).
 *
 * @example
 * lastSentenceEnd('It works. Then', 0); // 9 — 'It works.' is complete
 * lastSentenceEnd('Pi is 3.14 and', 0); // -1
 */
export function lastSentenceEnd(text: string, from: number): number {
  for (let i = text.length - 1; i >= from && i >= 0; i--) {
    const c = text[i];
    if (c === '\n' || CJK_TERMINAL.has(c)) return i + 1;
    if (!isSpace(c)) continue;
    let j = i - 1;
    while (j >= 0 && CLOSING.has(text[j])) j--;
    if (j >= 0 && TERMINAL.has(text[j])) return i;
  }
  return -1;
}
