import { lastSentenceEndIn } from '../../lib/sentenceEnd';

/**
 * Where the last checkpoint of `text` for content moderation is, scanning only the characters from
 * `from` on: the end of its last complete sentence (`SENTENCE_END` of lib/sentenceEnd.ts: `.` `!`
 * `?` `…` and their closers before white space, or `。！？`), or just after its last line break,
 * whichever is later. `-1` when there is none at or after `from`. Punctuation at the very end of
 * `text` is not an end yet: the next character may be a digit (`3.14`).
 *
 * @example
 * lastSentenceEnd('It works. Then', 0); // 9 — 'It works.' is complete
 * lastSentenceEnd('A list:\n- item', 0); // 8 — after the line break
 * lastSentenceEnd('Pi is 3.14 and', 0); // -1
 */
export function lastSentenceEnd(text: string, from: number): number {
  let lineEnd = -1;
  for (let i = text.length - 1; i >= from && i >= 0; i--) {
    if (text[i] === '\n') {
      lineEnd = i + 1;
      break;
    }
  }
  return Math.max(lineEnd, lastSentenceEndIn(text, from));
}
