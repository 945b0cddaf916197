import { answerFor, continuationOf, startMockServer, tokenize, type MockMessage, type MockServer } from '../../testing';
import { answerHeaders } from '../../testing/answerHeaders';
import { answerHeader, exchange, framesOfExchange, WIRES } from '../support/mockWire';
import { WHITESPACE_ANSWER, WHITESPACE_CASES } from '../support/whitespaceAnswers';

const base64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');
/** base64 strings that are not standard, padded base64 */
const NOT_BASE64: Record<string, string> = {
  'free text': 'not base64!',
  'no padding': 'aGk',
  'base64url alphabet': 'a-k_',
  'stray bits in the last character': 'aGl=',
};
/** base64 of bytes that are not UTF-8 */
const NOT_UTF8: Record<string, string> = {
  'a lone continuation byte': base64([0x61, 0x80]),
  'a cut 3-byte character': base64([0xe2, 0x80]),
  'bytes that never occur': base64([0xff, 0xfe, 0x41]),
  'an encoded surrogate': base64([0xed, 0xa0, 0x80]),
};

describe('answerHeaders', () => {
  test('reads x-mock-answer (base64 of UTF-8), x-mock-sentences and x-mock-repeat', () => {
    expect(answerHeaders({ 'x-mock-answer': Buffer.from('  indented\n\tand 流式 👍\n').toString('base64'), 'x-mock-sentences': '2', 'x-mock-repeat': '7' })).toEqual({
      text: '  indented\n\tand 流式 👍\n',
      sentences: 2,
      repeat: 7,
    });
    expect(answerHeaders({})).toEqual({});
    expect(answerHeaders({ 'x-mock-answer': '' })).toEqual({ text: '' });
  });

  test('a byte order mark stays part of the text', () => {
    expect(answerHeaders({ 'x-mock-answer': base64([0xef, 0xbb, 0xbf, 0x68, 0x69]) }).text).toBe('\ufeffhi');
  });

  test.each(Object.entries(NOT_BASE64))('not base64 (%s): a TypeError that says so', (_, value) => {
    expect(() => answerHeaders({ 'x-mock-answer': value })).toThrow(/^x-mock-answer: not standard base64 \(A-Z a-z 0-9 \+ \/, padded with = to a multiple of 4\)/);
  });

  test.each(Object.entries(NOT_UTF8))('base64 of bytes that are not UTF-8 (%s): a TypeError that says so', (_, value) => {
    expect(() => answerHeaders({ 'x-mock-answer': value })).toThrow('x-mock-answer: the base64 does not decode to valid UTF-8 text');
  });
});

describe('the mock model with a given answer text', () => {
  const question: MockMessage[] = [{ role: 'user', content: 'Use get_weather for Lyon, and show me the code' }];
  const tools = [{ name: 'get_weather' }];

  test.each(Object.entries(WHITESPACE_CASES))('tokenize joins back to the exact text: %s', (_, text) => {
    expect(tokenize(text).join('')).toBe(text);
    expect(tokenize(text).every((piece) => piece !== '')).toBe(true);
  });

  test('the fresh answer is exactly the text: no tool calls even when the prompt names a tool, finish stop, reasoning when thinking', () => {
    const turn = answerFor(question, { text: WHITESPACE_ANSWER, tools, thinking: true });
    expect(turn).toMatchObject({ text: WHITESPACE_ANSWER, toolCalls: [], finishReason: 'stop' });
    expect(turn.reasoning).not.toBe('');
    expect(answerFor(question, { text: WHITESPACE_ANSWER }).reasoning).toBe('');
  });

  test('prefill form: the rest of the text, also after a prefix whose trailing white space was trimmed', () => {
    const text = WHITESPACE_ANSWER;
    for (const cut of [0, 1, text.indexOf('```python'), text.indexOf('    for chunk'), text.length - 2, text.length]) {
      const prefix = text.slice(0, cut);
      const rest = continuationOf([...question, { role: 'assistant', content: prefix }], { text });
      expect({ cut, rest: rest?.text }).toEqual({ cut, rest: text.slice(cut) });
      const trimmed = prefix.trimEnd();
      expect(trimmed + continuationOf([...question, { role: 'assistant', content: trimmed }], { text })?.text).toBe(text);
    }
  });

  test('instruction form: an assistant prefix then "Continue …" gets the rest of the text', () => {
    const text = WHITESPACE_ANSWER;
    const cut = text.indexOf('日本語');
    const messages = [...question, { role: 'assistant', content: text.slice(0, cut) }, { role: 'user', content: 'Continue your previous answer exactly where it stopped.' }];
    expect(answerFor(messages, { text })).toMatchObject({ text: text.slice(cut), toolCalls: [], finishReason: 'stop', reasoning: '' });
  });
});

describe.each(Object.entries(WIRES))('x-mock-answer on the wire: %s', (_, wire) => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test.each(Object.entries(WHITESPACE_CASES))('%s: a client reads exactly the text, and the answer ends normally', async (__, text) => {
    const got = await exchange(server, wire, 'Say it exactly.', { headers: answerHeader(text) });
    expect(got).toMatchObject({ status: 200, complete: true });
    const frames = framesOfExchange(wire, got);
    expect(wire.textOf(frames)).toBe(text);
    expect(wire.isTerminal(frames[frames.length - 1])).toBe(true);
  });

  test.each([...Object.entries(NOT_BASE64), ...Object.entries(NOT_UTF8)])('an x-mock-answer header that is not base64 of UTF-8 (%s) gets the API’s 400', async (__, value) => {
    const got = await exchange(server, wire, 'Say it exactly.', { headers: { 'x-mock-answer': value } });
    expect(got.status).toBe(400);
    expect(got.headers?.['content-type']).toMatch(/^application\/json/);
    const message = expect.stringMatching(/^x-mock-answer: (not standard base64|the base64 does not decode to valid UTF-8 text)/) as unknown as string;
    expect(JSON.parse(got.body.toString('utf8'))).toEqual(wire.invalidRequest(message));
    expect(server.requests[server.requests.length - 1].fault).toBeNull();
  });
});
