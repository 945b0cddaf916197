import { utf8OffsetsToIndices } from '../../lib/utf8OffsetsToIndices';

/** the UTF-8 byte offset of each string index, computed by Node's encoder (independent of the code under test) */
const byteOffset = (text: string, index: number) => Buffer.byteLength(text.slice(0, index), 'utf8');

describe('utf8OffsetsToIndices', () => {
  const samples = [
    'plain ASCII, no surprises',
    'Zürich, naïve façade, déjà vu',
    '東京の天気は晴れ。大阪は雨。',
    'emoji 👋🏽 family 👩‍👩‍👧 flag 🇨🇭 end',
    '    def f():\n        return "😀"\n- item\n- 項目',
  ];

  test('every character boundary maps back to its string index, in any order of the offsets', () => {
    for (const text of samples) {
      const boundaries: number[] = [];
      for (let i = 0; i <= text.length; i++) {
        const code = text.charCodeAt(i - 1);
        // not between the two halves of a surrogate pair
        if (i > 0 && code >= 0xd800 && code <= 0xdbff) continue;
        boundaries.push(i);
      }
      const shuffled = [...boundaries].reverse();
      expect(utf8OffsetsToIndices(text, shuffled.map((i) => byteOffset(text, i)))).toEqual(shuffled);
    }
  });

  test('an offset inside a character, negative, fractional or past the end names no place', () => {
    const text = 'é👋東';
    // é = 2 bytes, 👋 = 4, 東 = 3
    expect(utf8OffsetsToIndices(text, [1, 3, 4, 5, 7, 8, 9, 10, -1, 2.5])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      4,
      undefined,
      undefined,
      undefined,
    ]);
    expect(utf8OffsetsToIndices(text, [0, 2, 6, 9])).toEqual([0, 1, 3, 4]);
    expect(utf8OffsetsToIndices('', [0, 1])).toEqual([0, undefined]);
  });

  test('a lone surrogate counts as the 3 bytes TextEncoder writes for it', () => {
    const text = 'a\ud800b';
    expect(new TextEncoder().encode(text).length).toBe(5);
    expect(utf8OffsetsToIndices(text, [1, 4, 5])).toEqual([1, 2, 3]);
  });
});
