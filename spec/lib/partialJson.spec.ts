import fc from 'fast-check';
import { isParseError, type ParseError } from '../../lib';
import { createPartialJsonParser } from '../../lib/partialJson';
import { containedIn, deepEqual, streamedJson } from '../support/partialJsonProperty';

/** Feeds `pieces` one by one: the value after each piece that changed it, and the final value. */
function run(pieces: string[]) {
  const parser = createPartialJsonParser();
  const values: unknown[] = [];
  for (const piece of pieces) if (parser.feed(piece)) values.push(parser.value());
  if (parser.end()) values.push(parser.value());
  return { values, final: parser.value(), parser };
}

/** The ParseError that feeding `pieces` and ending throws. */
function errorOf(pieces: string[]): ParseError {
  const parser = createPartialJsonParser();
  try {
    for (const piece of pieces) parser.feed(piece);
    parser.end();
  } catch (error) {
    if (isParseError(error)) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(pieces.join(''))}`);
}

describe('createPartialJsonParser', () => {
  test('strings grow, keys show once their value started, numbers and literals once complete', () => {
    const { values } = run(['{"name": "Ad', 'a", "age": 3', '6, "ok": tr', 'ue, "tags": [', '"x"', ', nu', 'll]}']);
    expect(values).toEqual([
      { name: 'Ad' },
      { name: 'Ada' }, // "age": 3 may still grow
      { name: 'Ada', age: 36 }, // ends at ','; `tr` is not yet true
      { name: 'Ada', age: 36, ok: true, tags: [] },
      { name: 'Ada', age: 36, ok: true, tags: ['x'] },
      { name: 'Ada', age: 36, ok: true, tags: ['x', null] },
    ]);
  });

  test('a key being read does not show; an empty string, object or array shows as soon as it starts', () => {
    const parser = createPartialJsonParser();
    expect(parser.feed('{"a": 1, "lon')).toBe(true);
    expect(parser.value()).toEqual({ a: 1 });
    expect(parser.feed('g key": ')).toBe(false);
    expect(parser.feed('"')).toBe(true);
    expect(parser.value()).toEqual({ a: 1, 'long key': '' });
    expect(parser.feed('", "o": {"p": [[')).toBe(true);
    expect(parser.value()).toEqual({ a: 1, 'long key': '', o: { p: [[]] } });
  });

  test('a closing bracket or quote alone changes nothing', () => {
    const parser = createPartialJsonParser();
    parser.feed('{"a": ["x');
    expect(parser.feed('"')).toBe(false);
    expect(parser.feed(']')).toBe(false);
    expect(parser.feed(' }')).toBe(false);
    expect(parser.complete).toBe(true);
    expect(parser.value()).toEqual({ a: ['x'] });
  });

  test('escapes show once whole; a surrogate pair split anywhere shows only whole', () => {
    const text = '["a\\n\\"\\u00e9\\uD83D\\uDE00\\/b"]';
    // cut at every point: the values seen never hold half an escape or a lone high surrogate
    for (let cut = 1; cut < text.length; cut++) {
      const { values, final } = run([text.slice(0, cut), text.slice(cut)]);
      expect(final).toEqual(['a\n"é😀/b']);
      for (const value of values) {
        const s = (value as string[])[0] ?? '';
        expect('a\n"é😀/b'.startsWith(s)).toBe(true);
        expect(/[\uD800-\uDBFF]$/.test(s)).toBe(false);
      }
    }
    // a raw pair split between two slices (a provider that cut UTF-16) waits for its low half too
    const parser = createPartialJsonParser();
    parser.feed('"x\uD83D');
    expect(parser.value()).toBe('x');
    parser.feed('\uDE00"');
    expect(parser.value()).toBe('x😀');
  });

  test('a lone escaped high surrogate is kept, as JSON.parse keeps it', () => {
    expect(run(['"\\uD83D', '"']).final).toBe(JSON.parse('"\\uD83D"'));
    expect(run(['"\\uD83Dx"']).final).toBe('\uD83Dx');
  });

  test('unicode, nested arrays and objects, and whitespace of every kind', () => {
    const text = ' \r\n\t{ "流式" : [ [ 1 , [ ] , { } ] , { "é" : "👍 ok" } ] ,\n "n" : -0.5e-3 }\n ';
    expect(run([...text]).final).toEqual(JSON.parse(text));
    expect(run([text]).final).toEqual(JSON.parse(text));
  });

  test('top-level scalars: a string grows; a number shows at the end of the text', () => {
    expect(run(['"he', 'llo"']).values).toEqual(['he', 'hello']);
    expect(run(['12', '3']).values).toEqual([123]);
    expect(run(['true']).values).toEqual([true]);
  });

  test('__proto__ is an own key, as JSON.parse makes it', () => {
    const { final } = run(['{"__proto__": {"x": 1}, "a": [{"__proto__": ', '"p"}]}']);
    expect(deepEqual(final, JSON.parse('{"__proto__": {"x": 1}, "a": [{"__proto__": "p"}]}'))).toBe(true);
    expect(Object.getPrototypeOf(final)).toBe(Object.prototype);
    expect(Object.keys(final as object)).toEqual(['__proto__', 'a']);
  });

  test('snapshots never change afterwards; complete parts are shared, open ones are fresh', () => {
    const parser = createPartialJsonParser();
    parser.feed('{"done": {"x": [1, 2]}, "list": ["a"');
    const first = parser.value() as { done: unknown; list: string[] };
    parser.feed(', "b');
    const second = parser.value() as { done: unknown; list: string[] };
    expect(first).toEqual({ done: { x: [1, 2] }, list: ['a'] });
    expect(second).toEqual({ done: { x: [1, 2] }, list: ['a', 'b'] });
    expect(second.done).toBe(first.done);
    expect(second.list).not.toBe(first.list);
    expect(parser.value()).toBe(second);
  });

  describe('a Markdown code fence around the value', () => {
    test.each([
      ['```json\n{"a": 1}\n```', { a: 1 }],
      ['```\n[1]\n```\n', [1]],
      ['  ```JSON {"a": "b"}```', { a: 'b' }],
      ['````json\n"x"\n````', 'x'],
      ['```json\n{"a": 1}\n', { a: 1 }], // a closing fence cut off: the value is whole
    ])('%j is accepted', (text, value) => {
      for (const pieces of [[text], [...text]]) expect(run(pieces).final).toEqual(value);
    });

    test.each([
      ['Here it is: {"a": 1}', 'a JSON value'],
      ['{"a": 1}\n```', 'the end of the text after the JSON value'],
      ['```json\n{"a": 1}\n``` and more', 'the end of the text after the closing code fence'],
      ['``{"a": 1}', 'a code fence'],
    ])('%j is not', (text, expected) => {
      expect(errorOf([text]).message).toContain(`expected ${expected}`);
    });
  });

  describe('invalid JSON: a ParseError of kind json that says where', () => {
    test('the position (line, column, offset), what was expected and the text before it', () => {
      const error = errorOf(['{\n  "a": [1, 2', '],\n  "b": tru', 'x\n}']);
      expect(error.kind).toBe('json');
      expect(error.at).toEqual({ offset: 27, line: 3, column: 11 });
      expect(error.message).toBe('invalid JSON at line 3, column 11 (character 27): expected "true", got "x"');
      expect(error.raw).toBe('{\n  "a": [1, 2],\n  "b": trux\n}');
    });

    test('what was read before the error stays', () => {
      const parser = createPartialJsonParser();
      expect(() => parser.feed('{"a": "xy", "b": [1, 2}')).toThrow(/expected ',' or '\]' after an element, got "}"/);
      expect(parser.value()).toEqual({ a: 'xy', b: [1, 2] });
      // the parser reads nothing more: the same error again
      expect(() => parser.feed(']}')).toThrow(/expected ',' or '\]' after an element, got "}"/);
    });

    test.each([
      ['{"a" 1}', "':' after a key"],
      ['{a: 1}', "a key (a string) or '}'"],
      ['{"a": 1,}', 'a key (a string)'],
      ['[1,]', 'a JSON value'],
      ['[01]', "',' or ']' after an element"],
      ['[1.]', 'a digit'],
      ['[-]', 'a digit'],
      ['[1e+]', 'a digit of the exponent'],
      ['["\\x"]', 'an escape'],
      ['["\\u12G4"]', 'a hexadecimal digit'],
      ['["a\nb"]', 'a character of a string (a control character must be escaped)'],
      ['{"a": nul}', '"null"'],
      ['[1] [2]', 'the end of the text after the JSON value'],
    ])('%j: expected %s', (text, expected) => {
      expect(() => JSON.parse(text)).toThrow();
      expect(errorOf([text]).message).toContain(`expected ${expected}`);
    });

    test.each([
      ['', 'a JSON value'],
      ['  ', 'a JSON value'],
      ['{"a": "x', 'the rest of the string'],
      ['{"a', 'the rest of the key'],
      ['[1, {"b": 2}', 'the rest of the array'],
      ['{"a": 1', 'the rest of the object'],
      ['-', 'a digit'],
    ])('an end too early (%j): expected %s', (text, expected) => {
      const error = errorOf([text]);
      expect(error.message).toContain(`expected ${expected}, got the end of the text`);
      expect(error.at?.offset).toBe(text.length);
    });
  });

  test('property: random JSON cut at random points — every value is contained in the final one, the last is JSON.parse of the whole', () => {
    fc.assert(
      fc.property(streamedJson, ({ text, pieces }) => {
        const { values, final } = run(pieces);
        const expected = JSON.parse(text);
        expect(deepEqual(final, expected)).toBe(true);
        if (values.length > 0) expect(deepEqual(values[values.length - 1], expected)).toBe(true);
        for (const value of values) expect(containedIn(value, expected)).toBe(true);
        // only when it changed: no two values in a row are the same
        for (let i = 1; i < values.length; i++) expect(deepEqual(values[i], values[i - 1])).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});
