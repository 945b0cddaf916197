import { SENTENCE_END } from '../lib/sentenceEnd';

/** Where a strategy lets text go: `exact` anywhere, `sentence` after a sentence, `paragraph` after a paragraph. */
export type RecoveryStrategy = 'exact' | 'sentence' | 'paragraph';

/** The end of a paragraph: a blank line (white space only), with the white space after it. */
export const PARAGRAPH_END = /\n[ \t]*\n\s*/g;

/**
 * The length of the longest prefix of `text` that ends on a boundary of the strategy (the white
 * space after it included; a sentence ends as `SENTENCE_END` of lib/sentenceEnd.ts says), 0 when there is none yet. For `exact` it is the whole text. Text is
 * only ever cut, never changed: blank lines and indentation go out exactly as they came.
 *
 * @example
 * commitBoundary('One. Two', 'sentence'); // 5 ('One. ')
 * commitBoundary('一。二', 'sentence'); // 2 ('一。')
 */
export function commitBoundary(text: string, strategy: RecoveryStrategy): number {
  if (strategy === 'exact') return text.length;
  const pattern = strategy === 'sentence' ? SENTENCE_END : PARAGRAPH_END;
  pattern.lastIndex = 0;
  let end = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) end = m.index + m[0].length;
  return end;
}
