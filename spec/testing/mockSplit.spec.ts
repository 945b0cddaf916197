import fc from 'fast-check';
import { answerFor, continuationOf, startMockServer, tokenize, type MockServer } from '../../testing';
import { answerHeaders } from '../../testing/answerHeaders';
import { cutTurn } from '../../testing/cutTurn';
import { splitText, textPieces } from '../../testing/textPieces';
import { geminiHop } from '../../testing/wire/geminiHop';
import { answerHeader, exchange, framesOfExchange, WIRES, type Frame, type Wire } from '../support/mockWire';

/** A JSON answer with an escape (`\n`, two characters) and an emoji (a surrogate pair, at 8 and 9). */
const TEXT = '{"a": "é👍\\n", "b": [1, 2]}';
/** in any order, repeated, 0 and past the end; 9 falls inside the emoji, 11 inside the escape */
const POINTS = [11, 3, 9, 0, 3, 27, 99, 21];
/** TEXT cut at 3, 10 (9 moved after the pair), 11 and 21 */
const PIECES = ['{"a', '": "é👍', '\\', 'n", "b": [', '1, 2]}'];

const isHigh = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLow = (code: number) => code >= 0xdc00 && code <= 0xdfff;

describe('splitText and textPieces: the one place where the wires cut a turn’s text', () => {
  test('cuts at the points, sorted and deduplicated; 0 and points at or past the end cut nothing; a point inside a surrogate pair moves after it', () => {
    expect(splitText(TEXT, POINTS)).toEqual(PIECES);
    expect(splitText(TEXT, [])).toEqual([TEXT]);
    expect(splitText('', [0, 1])).toEqual([]);
  });

  test('a turn with split points streams those pieces; without, its words (tokenize)', () => {
    expect(textPieces({ text: TEXT, split: POINTS })).toEqual(PIECES);
    expect(textPieces({ text: 'Hello there world' })).toEqual(tokenize('Hello there world'));
  });

  test('property: the pieces join back to the text, none is empty or splits a surrogate pair, and they end exactly at the points asked for (a point inside a pair: after it)', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ' ', '"', '\\', 'é', '流', '👍', '😀', '\n'), maxLength: 40 });
    fc.assert(
      fc.property(text, fc.array(fc.nat({ max: 50 }), { maxLength: 20 }), (text, points) => {
        const pieces = splitText(text, points);
        expect(pieces.join('')).toBe(text);
        expect(pieces.every((piece) => piece !== '' && !isLow(piece.charCodeAt(0)) && !isHigh(piece.charCodeAt(piece.length - 1)))).toBe(true);
        const ends = new Set<number>();
        let at = 0;
        for (const piece of pieces.slice(0, -1)) ends.add((at += piece.length));
        const expected = new Set(
          points.filter((p) => p > 0 && p < text.length).map((p) => (isHigh(text.charCodeAt(p - 1)) && isLow(text.charCodeAt(p)) ? p + 1 : p)).filter((p) => p < text.length),
        );
        expect([...ends].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
      }),
      { numRuns: 300 },
    );
  });
});

describe('x-mock-split', () => {
  test('reads whole numbers, comma-separated, spaces allowed; an empty value is no cut at all', () => {
    expect(answerHeaders({ 'x-mock-split': '11, 3,9 ,0' })).toEqual({ split: [11, 3, 9, 0] });
    expect(answerHeaders({ 'x-mock-split': '' })).toEqual({ split: [] });
    expect(answerHeaders({})).toEqual({});
  });

  test.each(['3,,4', '-1', '2.5', 'a', '1;2', '9999999999'])('%j is not a list of offsets: a TypeError that says so', (value) => {
    expect(() => answerHeaders({ 'x-mock-split': value })).toThrow(/^x-mock-split: a comma-separated list of offsets into the answer \(whole numbers ≥ 0\), got /);
  });

  test('the model carries the points; a continuation keeps those past its start, counted from there; so does a Gemini hop; a cut fault ends the last piece at the cut', () => {
    const question = [{ role: 'user', content: 'JSON, please.' }];
    const turn = answerFor(question, { text: TEXT, split: POINTS });
    expect(textPieces(turn)).toEqual(PIECES);
    // the prefix ends at 10, a cut point: the rest streams in the same pieces
    const rest = continuationOf([...question, { role: 'assistant', content: TEXT.slice(0, 10) }], { text: TEXT, split: POINTS });
    expect(rest && textPieces(rest)).toEqual(PIECES.slice(2));
    // the prefix ends at 5, inside a piece: the rest of that piece, then the same pieces
    const later = continuationOf([...question, { role: 'assistant', content: TEXT.slice(0, 5) }], { text: TEXT, split: POINTS });
    expect(later && textPieces(later)).toEqual([' "é👍', ...PIECES.slice(2)]);
    expect(textPieces(geminiHop(turn, 1, 5).turn)).toEqual([' "é👍', ...PIECES.slice(2)]);
    expect(textPieces(cutTurn(turn, 15))).toEqual(['{"a', '": "é👍', '\\', 'n", ']);
    expect(answerFor(question, { text: TEXT }).split).toBeUndefined();
  });
});

/** Each text delta of a body, in order: the wire's text of each frame alone (empty ones left out). */
const deltasOf = (wire: Wire, frames: Frame[]) => frames.map((frame) => wire.textOf([frame])).filter((text) => text !== '');

/** The Responses API's text deltas (`response.output_text.delta`), for the routes WIRES does not list. */
const responsesText = (frames: Frame[]) => frames.map((f) => (f.event === 'response.output_text.delta' ? (f.json?.delta as string) : '')).join('');
/** Routes that WIRES does not list: only their requests and `textOf` are used here (the rest is OpenAI's and unused). */
const MORE_WIRES: Record<string, Wire> = {
  azure: { ...WIRES.openai, path: '/openai/v1/chat/completions', headers: { 'api-key': 'k' } },
  'openai-responses': { ...WIRES.openai, path: '/v1/responses', body: (prompt) => ({ model: 'gpt-5-nano', input: prompt, stream: true }), textOf: responsesText },
  'azure-responses': {
    ...WIRES.openai,
    path: '/openai/v1/responses',
    headers: { 'api-key': 'k' },
    body: (prompt) => ({ model: 'gpt-5-nano', input: prompt, stream: true }),
    textOf: responsesText,
  },
};

describe.each(Object.entries({ ...WIRES, ...MORE_WIRES }))('x-mock-split on the wire: %s', (_, wire) => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test('the text deltas are exactly the pieces asked for (inside the escape, after the emoji), and the answer ends normally', async () => {
    const got = await exchange(server, wire, 'JSON, please.', { headers: { ...answerHeader(TEXT), 'x-mock-split': POINTS.join(',') } });
    expect(got).toMatchObject({ status: 200, complete: true });
    // no U+FFFD: every piece went out as valid UTF-8
    expect(got.body.toString('utf8')).not.toContain('\ufffd');
    expect(deltasOf(wire, framesOfExchange(wire, got))).toEqual(PIECES);
  });

  test('an empty x-mock-split streams the text as one delta', async () => {
    const got = await exchange(server, wire, 'JSON, please.', { headers: { ...answerHeader(TEXT), 'x-mock-split': '' } });
    expect(deltasOf(wire, framesOfExchange(wire, got))).toEqual([TEXT]);
  });

  test('an x-mock-split that is not a list of offsets gets the API’s 400, which says so', async () => {
    const got = await exchange(server, wire, 'JSON, please.', { headers: { 'x-mock-split': '3,x' } });
    expect(got.status).toBe(400);
    expect(got.body.toString('utf8')).toContain('x-mock-split: a comma-separated list of offsets into the answer');
  });
});

/** The wires whose mock cuts an answer at a token limit of the request, with a limit of 2. */
const LIMITED: Array<[string, Wire, Record<string, unknown>]> = [
  ['anthropic (max_tokens)', WIRES.anthropic, { ...WIRES.anthropic.body('JSON, please.'), max_tokens: 2 }],
  ['gemini (maxOutputTokens)', WIRES.gemini, { ...WIRES.gemini.body('JSON, please.'), generationConfig: { maxOutputTokens: 2 } }],
  ['ollama (num_predict)', WIRES.ollama, { ...WIRES.ollama.body('JSON, please.'), options: { num_predict: 2 } }],
  ['lmstudio-v1 (max_output_tokens)', WIRES['lmstudio-v1'], { ...WIRES['lmstudio-v1'].body('JSON, please.'), max_output_tokens: 2 }],
];

describe('x-mock-split and a token limit', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test.each(LIMITED)('%s: a split piece counts as one token', async (_, wire, body) => {
    const got = await exchange(server, wire, 'JSON, please.', { body, headers: { ...answerHeader(TEXT), 'x-mock-split': POINTS.join(',') } });
    expect(got.status).toBe(200);
    expect(deltasOf(wire, framesOfExchange(wire, got))).toEqual(PIECES.slice(0, 2));
  });
});
