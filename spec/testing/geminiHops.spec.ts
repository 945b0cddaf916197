import { GoogleGenAI } from '@google/genai';
import { answerFor, startMockServer, tokenize, type MockFault, type MockServer } from '../../testing';
import { geminiHop } from '../../testing/wire/geminiHop';
import { answerHeader, exchange, framesOfExchange, WIRES, type Exchange } from '../support/mockWire';
import { afterWhiteSpace, WHITESPACE_ANSWER } from '../support/whitespaceAnswers';

const wire = WIRES.gemini;
const PROMPT = 'Explain why chat answers stream, at length.';
const CONTENTS = [{ role: 'user', parts: [{ text: PROMPT }] }];
/** the answer the mock model gives to PROMPT with `x-mock-sentences: 8` (the headers below) */
const ANSWER = answerFor([{ role: 'user', content: PROMPT }], { sentences: 8 });
const headersFor = (hops: number, extra: Record<string, string> = {}) => ({ 'x-mock-sentences': '8', 'x-mock-hops': String(hops), ...extra });

/** One event of a streamed answer, as the test reads `candidates[0]` and `usageMetadata`. */
interface HopEvent {
  candidate: { content?: { parts?: Array<{ text?: string; thought?: boolean }> }; finishReason?: string; continuationToken?: string };
  usage: { promptTokenCount?: number; candidatesTokenCount?: number; totalTokenCount?: number; thoughtsTokenCount?: number };
  /** the answer text of this event (thought parts apart) */
  text: string;
}

/** What one request streamed. */
interface Hop {
  got: Exchange;
  events: HopEvent[];
  text: string;
  /** the last event's finish reason */
  finishReason?: string;
  /** the token the last event carries */
  endToken?: string;
}

/** Sends PROMPT's request (with `continuationToken` when given) and reads the answer's events. */
async function hop(server: MockServer, headers: Record<string, string>, continuationToken?: string, extra: { fault?: MockFault; body?: Record<string, unknown> } = {}): Promise<Hop> {
  const body = { contents: CONTENTS, ...extra.body, ...(continuationToken === undefined ? {} : { continuationToken }) };
  const got = await exchange(server, wire, PROMPT, { headers, body, fault: extra.fault });
  const events = framesOfExchange(wire, got).map((frame) => {
    const candidate = frame.json?.candidates?.[0] ?? {};
    return { candidate, usage: frame.json?.usageMetadata ?? {}, text: wire.textOf([frame]) };
  });
  const last = events[events.length - 1]?.candidate;
  return { got, events, text: events.map((e) => e.text).join(''), finishReason: last?.finishReason, endToken: last?.continuationToken };
}

/** Follows an answer's hops, each with the token the one before ended with, until a terminal finish. */
async function allHops(server: MockServer, headers: Record<string, string>, body?: Record<string, unknown>): Promise<Hop[]> {
  const hops = [await hop(server, headers, undefined, { body })];
  while (hops[hops.length - 1].finishReason === 'CONTINUATION' && hops.length <= 25) hops.push(await hop(server, headers, hops[hops.length - 1].endToken, { body }));
  return hops;
}

/** The events that carry a checkpoint: a token and no finish reason. */
const checkpoints = (h: Hop) => h.events.filter((e) => e.candidate.continuationToken !== undefined && e.candidate.finishReason === undefined);
/** The answer's text up to and including event `i` of a hop. */
const textThrough = (h: Hop, i: number) => h.events.slice(0, i + 1).map((e) => e.text).join('');

describe('geminiHop', () => {
  const turn = { ...ANSWER, reasoning: 'Think first.', toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Lyon"}' }], finishReason: 'tool_calls' as const };

  test('the reasoning in the hop that starts the answer, the tool calls in the last; input tokens count the text before', () => {
    const first = geminiHop(turn, 3, 0);
    const second = geminiHop(turn, 3, first.turn.text.length);
    const from = first.turn.text.length + second.turn.text.length;
    const third = geminiHop(turn, 3, from);
    expect([first, second, third].map((h) => [h.continues, h.turn.reasoning, h.turn.toolCalls.length])).toEqual([
      [true, 'Think first.', 0],
      [true, '', 0],
      [false, '', 1],
    ]);
    expect(first.turn.text + second.turn.text + third.turn.text).toBe(turn.text);
    expect(third.turn.inputTokens).toBe(turn.inputTokens + tokenize(turn.text.slice(0, from)).length);
    expect(third.turn.finishReason).toBe('tool_calls');
  });

  test('a point inside a hop streams the rest of that hop; the end of the text streams nothing but what ends the answer', () => {
    const first = geminiHop(turn, 2, 0);
    expect(geminiHop(turn, 2, 10)).toMatchObject({ continues: true, turn: { text: first.turn.text.slice(10), reasoning: '' } });
    expect(geminiHop(turn, 2, turn.text.length)).toMatchObject({ continues: false, turn: { text: '', toolCalls: turn.toolCalls } });
  });

  test('no more hops than tokens, and one for an empty text', () => {
    const short = { ...turn, text: 'two words' };
    expect(geminiHop(short, 5, 0).turn.text).toBe('two');
    expect(geminiHop(short, 5, 3)).toMatchObject({ continues: false, turn: { text: ' words' } });
    expect(geminiHop({ ...turn, text: '' }, 5, 0)).toMatchObject({ continues: false, turn: { text: '', toolCalls: turn.toolCalls } });
  });
});

describe('Gemini CONTINUATION hops on the mock server', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test.each([2, 3, 4, 5])('x-mock-hops: %i — that many hops, joined the whole answer; CONTINUATION and a token on all but the last, STOP on the last', async (k) => {
    const before = server.requests.length;
    const hops = await allHops(server, headersFor(k));
    expect(hops).toHaveLength(k);
    expect(hops.map((h) => h.text).join('')).toBe(ANSWER.text);
    for (const h of hops.slice(0, -1)) {
      expect(h.finishReason).toBe('CONTINUATION');
      expect(h.endToken).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
    }
    const last = hops[k - 1];
    expect(last.finishReason).toBe('STOP');
    expect(last.endToken).toBeUndefined();
    // about equal: each hop within two of the longest tokens of an even share
    const longest = Math.max(...tokenize(ANSWER.text).map((t) => t.length));
    for (const h of hops) expect(Math.abs(h.text.length - ANSWER.text.length / k)).toBeLessThanOrEqual(2 * longest);
    // the request log shows each token as the client sent it
    const sent = server.requests.slice(before).map((r) => (r.body as { continuationToken?: string }).continuationToken);
    expect(sent).toEqual([undefined, ...hops.slice(0, -1).map((h) => h.endToken)]);
    for (const h of hops) expect(h.got).toMatchObject({ status: 200, complete: true });
  });

  test('x-mock-hops: 1, the default, streams the answer as before: one request, STOP, no token anywhere', async () => {
    const plain = await hop(server, { 'x-mock-sentences': '8' });
    const one = await hop(server, headersFor(1));
    expect(one.got.body.equals(plain.got.body)).toBe(true);
    expect(plain.text).toBe(ANSWER.text);
    expect(plain.finishReason).toBe('STOP');
    expect(plain.got.body.toString('utf8')).not.toContain('continuationToken');
  });

  test('hops apply to an x-mock-answer text and to a continuation request alike', async () => {
    const given = await allHops(server, headersFor(3, answerHeader(WHITESPACE_ANSWER)));
    expect(given).toHaveLength(3);
    expect(given.map((h) => h.text).join('')).toBe(WHITESPACE_ANSWER);

    const partial = ANSWER.text.slice(0, 100);
    const contents = [...CONTENTS, { role: 'model', parts: [{ text: partial }] }, { role: 'user', parts: [{ text: 'Continue exactly where you stopped.' }] }];
    const continued = await allHops(server, headersFor(2), { contents });
    expect(continued).toHaveLength(2);
    expect(partial + continued.map((h) => h.text).join('')).toBe(ANSWER.text);
  });

  test('thought parts come in the first hop only', async () => {
    const hops = await allHops(server, headersFor(3), { generationConfig: { thinkingConfig: { includeThoughts: true } } });
    const thoughtsIn = (h: Hop) => h.events.filter((e) => e.candidate.content?.parts?.some((p) => p.thought === true)).length;
    expect(thoughtsIn(hops[0])).toBeGreaterThan(0);
    expect(hops.slice(1).map(thoughtsIn)).toEqual([0, 0]);
    expect(hops.map((h) => h.events[0].usage.thoughtsTokenCount)).toEqual([tokenize(answerFor([{ role: 'user', content: PROMPT }], { thinking: true }).reasoning).length, undefined, undefined]);
    expect(hops.map((h) => h.text).join('')).toBe(ANSWER.text);
  });

  test('usage per hop: the prompt re-read with the earlier hops’ tokens, this hop’s tokens on its last event', async () => {
    const hops = await allHops(server, headersFor(3));
    let before = 0;
    for (const h of hops) {
      const prompt = ANSWER.inputTokens + before;
      const generated = tokenize(h.text).length;
      expect(h.events.map((e) => e.usage.promptTokenCount)).toEqual(h.events.map(() => prompt));
      expect(h.events.slice(0, -1).map((e) => e.usage.candidatesTokenCount)).toEqual(h.events.slice(0, -1).map(() => undefined));
      expect(h.events[h.events.length - 1].usage).toMatchObject({ promptTokenCount: prompt, candidatesTokenCount: generated, totalTokenCount: prompt + generated });
      before += generated;
    }
    expect(before).toBe(tokenize(ANSWER.text).length);
  });

  describe('checkpoint tokens', () => {
    test('by default every 2nd text event of a hop carries one, without a finish reason', async () => {
      const [first] = await allHops(server, headersFor(2));
      const carrying = first.events.map((e, i) => (e.candidate.continuationToken !== undefined && i < first.events.length - 1 ? i : -1)).filter((i) => i >= 0);
      const expected = first.events.map((_, i) => i).filter((i) => i % 2 === 1 && i < first.events.length - 1);
      expect(carrying).toEqual(expected);
      expect(checkpoints(first).length).toBeGreaterThan(1);
    });

    test.each([
      ['3', (i: number) => i % 3 === 2],
      ['1', () => true],
      ['0', () => false],
    ])('x-mock-checkpoint-every: %s sets how often', async (every, carries) => {
      const [first] = await allHops(server, headersFor(2, { 'x-mock-checkpoint-every': every }));
      const inner = first.events.slice(0, -1);
      expect(inner.map((e) => e.candidate.continuationToken !== undefined)).toEqual(inner.map((_, i) => carries(i)));
      expect(first.endToken).toBeDefined();
    });

    test('a checkpoint token streams the rest of its hop from right after its event’s text, and the hop ends as before', async () => {
      const hops = await allHops(server, headersFor(2));
      for (const h of hops) {
        for (const [i, event] of h.events.entries()) {
          if (event.candidate.continuationToken === undefined || event.candidate.finishReason !== undefined) continue;
          const resumed = await hop(server, headersFor(2), event.candidate.continuationToken);
          expect(resumed.text).toBe(h.text.slice(textThrough(h, i).length));
          expect(resumed.events.map((e) => e.candidate)).toEqual(h.events.slice(i + 1).map((e) => e.candidate));
          expect(resumed.finishReason).toBe(h.finishReason);
          expect(resumed.endToken).toBe(h.endToken);
        }
      }
      expect(hops.flatMap(checkpoints).length).toBeGreaterThan(2);
    });

    test('a checkpoint also resumes a single-hop answer when asked for', async () => {
      const [whole] = await allHops(server, headersFor(1, { 'x-mock-checkpoint-every': '2' }));
      expect(whole.finishReason).toBe('STOP');
      const at = whole.events.findIndex((e) => e.candidate.continuationToken !== undefined);
      const resumed = await hop(server, headersFor(1), whole.events[at].candidate.continuationToken);
      expect(textThrough(whole, at) + resumed.text).toBe(ANSWER.text);
      expect(resumed.finishReason).toBe('STOP');
    });
  });

  describe('tokens the route refuses with Google’s 400', () => {
    let token: string;
    beforeAll(async () => {
      token = (await hop(server, headersFor(2))).endToken as string;
    });
    const decoded = () => JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as Record<string, unknown>;
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const refused = async (continuationToken: unknown, message: RegExp, body: Record<string, unknown> = {}) => {
      const got = await exchange(server, wire, PROMPT, { headers: headersFor(2), body: { contents: CONTENTS, ...body, continuationToken } });
      expect(got.status).toBe(400);
      expect(JSON.parse(got.body.toString('utf8'))).toEqual({ error: { code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(message) } });
    };

    test.each([
      ['not base64', 'not a token!'],
      ['base64 of text that is not JSON', Buffer.from('hello').toString('base64')],
      ['no offset', encode({ contents: 'x' })],
      ['a negative offset', encode({ offset: -1, contents: 'x' })],
      ['a fractional offset', encode({ offset: 1.5, contents: 'x' })],
      ['not a string', 42],
    ])('a malformed token (%s)', async (_, bad) => {
      await refused(bad, /^continuationToken is malformed: send back exactly the token a response of this model carried$/);
    });

    test('a token of another conversation', async () => {
      await refused(token, /^continuationToken belongs to another conversation/, { contents: [{ role: 'user', parts: [{ text: 'Something else.' }] }] });
      await refused(encode({ ...decoded(), contents: 'abc' }), /^continuationToken belongs to another conversation/);
    });

    test('the same contents with their keys in another order are the same conversation', async () => {
      const reordered = [{ parts: [{ text: PROMPT }], role: 'user' }];
      const got = await exchange(server, wire, PROMPT, { headers: headersFor(2), body: { continuationToken: token, contents: reordered } });
      expect(got.status).toBe(200);
    });

    test('a token past the end of the answer', async () => {
      await refused(encode({ ...decoded(), offset: ANSWER.text.length + 1 }), /^continuationToken points past the end of the answer \(character \d+ of \d+\)$/);
    });

    test.each([
      ['x-mock-hops', '0'],
      ['x-mock-hops', '21'],
      ['x-mock-hops', 'two'],
      ['x-mock-hops', '2.5'],
      ['x-mock-checkpoint-every', '-1'],
      ['x-mock-checkpoint-every', 'often'],
    ])('a bad %s header (%s)', async (name, value) => {
      const got = await exchange(server, wire, PROMPT, { headers: { ...headersFor(2), [name]: value }, body: { contents: CONTENTS } });
      expect(got.status).toBe(400);
      expect(JSON.parse(got.body.toString('utf8')).error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT', message: expect.stringMatching(new RegExp(`^${name}: a whole number from \\d+ to \\d+, got "${value}"$`)) });
    });
  });

  describe('faults apply to the hop the request streams', () => {
    test('cut: the hop’s text up to the point, no finish reason, and the connection breaks off', async () => {
      const [first, second] = await allHops(server, headersFor(3));
      for (const n of afterWhiteSpace(second.text).slice(0, 6)) {
        const cut = await hop(server, headersFor(3), first.endToken, { fault: { kind: 'cut', afterChars: n } });
        expect({ n, text: cut.text }).toEqual({ n, text: second.text.slice(0, n) });
        expect(cut.events.every((e) => e.candidate.finishReason === undefined)).toBe(true);
        expect(cut.got.complete).toBe(false);
      }
    });

    test('reset: exactly that many bytes of the hop', async () => {
      const [first, second] = await allHops(server, headersFor(3));
      const cut = await hop(server, headersFor(3), first.endToken, { fault: { kind: 'reset', afterBytes: 200 } });
      expect(cut.got.body.equals(second.got.body.subarray(0, 200))).toBe(true);
      expect(cut.got.complete).toBe(false);
    });
  });
});

describe('@google/genai against the mock’s hops', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const sdk = (headers: Record<string, string>) =>
    new GoogleGenAI({ apiKey: 'AIza-mock', httpOptions: { baseUrl: server.url, headers, fetch: (input, init) => fetch(input, init) } });

  test('generateContentStream with automatic continuation assembles the whole answer from 3 hops, and sums their usage', async () => {
    const expected = await allHops(server, headersFor(3));
    const before = server.requests.length;
    let text = '';
    let usage: { promptTokenCount?: number; candidatesTokenCount?: number } | undefined;
    for await (const chunk of await sdk(headersFor(3)).models.generateContentStream({ model: 'gemini-2.5-flash', contents: PROMPT })) {
      text += chunk.text ?? '';
      usage = chunk.usageMetadata ?? usage;
    }
    expect(text).toBe(ANSWER.text);
    const requests = server.requests.slice(before);
    expect(requests.map((r) => (r.body as { continuationToken?: string }).continuationToken)).toEqual([undefined, expected[0].endToken, expected[1].endToken]);
    expect(usage?.candidatesTokenCount).toBe(tokenize(ANSWER.text).length);
    expect(usage?.promptTokenCount).toBe(expected.reduce((n, h) => n + (h.events[0].usage.promptTokenCount ?? 0), 0));
  });

  test('after a cut right at a checkpoint, the SDK resumes from that checkpoint’s token and the answer is whole', async () => {
    const [first] = await allHops(server, headersFor(2));
    const at = first.events.findIndex((e) => e.candidate.continuationToken !== undefined);
    const checkpoint = first.events[at].candidate.continuationToken;
    const before = server.requests.length;
    server.queueFaults({ kind: 'cut', afterChars: textThrough(first, at).length });
    let text = '';
    for await (const chunk of await sdk(headersFor(2)).models.generateContentStream({ model: 'gemini-2.5-flash', contents: PROMPT })) text += chunk.text ?? '';
    expect(text).toBe(ANSWER.text);
    const requests = server.requests.slice(before);
    expect(requests[0].fault).toEqual({ kind: 'cut', afterChars: textThrough(first, at).length });
    expect((requests[1].body as { continuationToken?: string }).continuationToken).toBe(checkpoint);
    expect(requests).toHaveLength(3);
  });
});
