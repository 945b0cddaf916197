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
    // what real answers hold besides prose: a dot inside code, a path or a version is no end
    ['def f(x):\n    return x.y\n\nprint(f(1))', -1],
    ['Run `npm ci`, then open src/index.ts and', -1],
    ['version: 0.1.0\nitems:\n  - a', -1],
    ['| a.b | c |\n|-----|---|', -1],
    // a sentence at a line end, in a list item or before a blank line ends there
    ['items:\n  - First item.\n  - Second', 22],
    ['It works.\n\n```ts\nconst x = 1;', 9],
  ])('lastSentenceEndIn(%j) = %i', (text, end) => expect(lastSentenceEndIn(text, 0)).toBe(end));

  test('only the text from `from` on is scanned, but the punctuation may stand before it', () => {
    expect(lastSentenceEndIn('One. Two', 5)).toBe(-1);
    expect(lastSentenceEndIn('One. Two', 4)).toBe(4);
    expect(lastSentenceEndIn('One.', 0)).toBe(-1);
    expect(lastSentenceEndIn('One. ', 4)).toBe(4);
    expect(lastSentenceEndIn('Done.** ', 7)).toBe(7);
  });

  test("recovery's commit unit and moderation's checkpoints find the same sentences", () => {
    const texts = [
      'One. Two! Three? Four… Five',
      '**Bold.** Then “quoted.” End',
      '一。二！三？四',
      'Pi is 3.14. Yes',
      'A "b." C',
      'Call it so.\n\n```python\ndef f(x):\n    return x.y  # done.\n```\n\nThen',
      'config:\n  name: rxllm\n  note: "Set it."\n  list:\n    - One.\n    - Two',
      '| Step | Note |\n|------|------|\n| 1 | Build it. |\n| 2 | Test |',
      '完成了。🎉 Next. 🚀 and',
    ];
    for (const text of texts) {
      // commitBoundary gives the end with the white space after it; lastSentenceEnd the end of the punctuation
      const committed = commitBoundary(text, 'sentence');
      const checked = lastSentenceEnd(text, 0);
      SENTENCE_END.lastIndex = 0;
      const matches = [...text.matchAll(SENTENCE_END)];
      const last = matches[matches.length - 1];
      expect(committed).toBe(last.index! + last[0].length);
      // moderation also checks just after the last line break, when that comes later
      expect(checked).toBe(Math.max(last.index! + (last[1] ?? last[2]).length, text.lastIndexOf('\n') + 1 || -1));
    }
  });

  test('moderation also checks at a line break; recovery does not hold a sentence back for one', () => {
    expect(lastSentenceEnd('A list:\n- item', 0)).toBe(8);
    expect(commitBoundary('A list:\n- item', 'sentence')).toBe(0);
  });
});
