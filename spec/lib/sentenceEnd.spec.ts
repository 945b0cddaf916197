import { lastSentenceEndIn, SENTENCE_END } from '../../lib/sentenceEnd';
import { commitBoundary } from '../../operators/commitBoundary';
import { lastSentenceEnd } from '../../providers/openai/lastSentenceEnd';

describe('the sentence end (one definition)', () => {
  test.each([
    ['It works. Then', 9],
    ['Really?! Yes', 8],
    ['He said "stop." Then', 15],
    ['**Done.** Next', 9],
    ['“Quoted.” Next', 9],
    ['«Oui.» Puis', 6],
    ['好。然后', 2],
    ['他说：「好。」然后', 7],
    ['It works.', -1],
    ['Pi is 3.14 and', -1],
    ['e.g.x and', -1],
    ['no sentence here', -1],
  ])('lastSentenceEndIn(%j) = %i', (text, end) => expect(lastSentenceEndIn(text, 0)).toBe(end));

  test('only the text from `from` on is scanned, but the punctuation may stand before it', () => {
    expect(lastSentenceEndIn('One. Two', 5)).toBe(-1);
    expect(lastSentenceEndIn('One. Two', 4)).toBe(4);
    expect(lastSentenceEndIn('One.', 0)).toBe(-1);
    expect(lastSentenceEndIn('One. ', 4)).toBe(4);
    expect(lastSentenceEndIn('Done.** ', 7)).toBe(7);
  });

  test("recovery's commit unit and moderation's checkpoints find the same sentences", () => {
    const texts = ['One. Two! Three? Four… Five', '**Bold.** Then “quoted.” End', '一。二！三？四', 'Pi is 3.14. Yes', 'A "b." C'];
    for (const text of texts) {
      // commitBoundary gives the end with the white space after it; lastSentenceEnd the end of the punctuation
      const committed = commitBoundary(text, 'sentence');
      const checked = lastSentenceEnd(text, 0);
      SENTENCE_END.lastIndex = 0;
      const matches = [...text.matchAll(SENTENCE_END)];
      const last = matches[matches.length - 1];
      expect(committed).toBe(last.index! + last[0].length);
      expect(checked).toBe(last.index! + (last[1] ?? last[2]).length);
    }
  });

  test('moderation also checks at a line break; recovery does not hold a sentence back for one', () => {
    expect(lastSentenceEnd('A list:\n- item', 0)).toBe(8);
    expect(commitBoundary('A list:\n- item', 'sentence')).toBe(0);
  });
});
