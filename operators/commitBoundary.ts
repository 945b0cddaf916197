/** Where a strategy lets text go: `exact` anywhere, `sentence` after a sentence, `paragraph` after a paragraph. */
export type RecoveryStrategy = 'exact' | 'sentence' | 'paragraph';

// a sentence ends with . ! ? … (or their CJK forms), closing quotes or brackets, then white space
const SENTENCE_END = /[.!?…。！？]["'”’)\]]*\s+/g;
const PARAGRAPH_END = /\n[ \t]*\n\s*/g;

/**
 * The length of the longest prefix of `text` that ends on a boundary of the strategy (the white
 * space after it included), 0 when there is none yet. For `exact` it is the whole text.
 *
 * @example
 * commitBoundary('One. Two', 'sentence'); // 5 ('One. ')
 */
export function commitBoundary(text: string, strategy: RecoveryStrategy): number {
  if (strategy === 'exact') return text.length;
  const pattern = strategy === 'sentence' ? SENTENCE_END : PARAGRAPH_END;
  pattern.lastIndex = 0;
  let end = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) end = m.index + m[0].length;
  return end;
}
