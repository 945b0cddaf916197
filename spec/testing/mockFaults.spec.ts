import { answerFor, startMockServer, type MockFault, type MockServer } from '../../testing';
import { answerHeader, exchange, framesOf, framesOfExchange, WIRES, type Exchange, type ExchangeOptions, type Frame, type Wire } from '../support/mockWire';
import { afterWhiteSpace, WHITESPACE_ANSWER } from '../support/whitespaceAnswers';

const messages = (prompt: string) => [{ role: 'user', content: prompt }];

/** A prompt whose 5-sentence answer has both 3-byte characters of the model's sentences, '—' and '’'. */
const PROMPT = (() => {
  for (let i = 0; ; i++) {
    const prompt = `Question ${i}: why stream a chat answer?`;
    const { text } = answerFor(messages(prompt), { sentences: 5 });
    if (text.includes('—') && text.includes('’')) return prompt;
  }
})();

const contentCount = (wire: Wire, frames: Frame[]) => frames.filter((f) => wire.isContent(f)).length;

describe.each(Object.entries(WIRES))('%s faults', (name, wire) => {
  let server: MockServer;
  let clean: Exchange;
  let cleanFrames: Frame[];
  const last = () => server.requests[server.requests.length - 1];

  beforeAll(async () => {
    server = await startMockServer();
    clean = await exchange(server, wire, PROMPT);
    cleanFrames = framesOf(clean.body.toString('utf8'), wire.framing);
  });
  afterAll(() => server.close());

  test('the clean answer: content frames, then terminal frames, and the text has both 3-byte characters', () => {
    expect(clean).toMatchObject({ status: 200, complete: true });
    expect(last().fault).toBeNull();
    expect(contentCount(wire, cleanFrames)).toBeGreaterThan(3);
    expect(wire.isTerminal(cleanFrames[cleanFrames.length - 1])).toBe(true);
    expect(clean.body.includes(Buffer.from('—'))).toBe(true);
    expect(clean.body.includes(Buffer.from('’'))).toBe(true);
  });

  describe('reset after N bytes delivers exactly N bytes, then the connection closes', () => {
    const cases: Array<[string, () => number]> = [
      ['inside a multi-byte character (—)', () => clean.body.indexOf(Buffer.from('—')) + 1],
      ['inside a multi-byte character (’), after its second byte', () => clean.body.indexOf(Buffer.from('’')) + 2],
      ['inside a line', () => Buffer.byteLength(cleanFrames.slice(0, 2).map((f) => f.raw).join('')) + 11],
      ['between two frames', () => Buffer.byteLength(cleanFrames.slice(0, 3).map((f) => f.raw).join(''))],
      ['before the first byte', () => 0],
    ];
    test.each(cases)('%s', async (_, at) => {
      const afterBytes = at();
      const fault: MockFault = { kind: 'reset', afterBytes };
      const got = await exchange(server, wire, PROMPT, { fault });
      expect(got.status).toBe(200);
      expect(got.complete).toBe(false);
      expect(got.body.length).toBe(afterBytes);
      expect(got.body.equals(clean.body.subarray(0, afterBytes))).toBe(true);
      const record = last();
      expect(record.fault).toEqual(fault);
      expect(record.bytesWritten).toBe(afterBytes);
      expect(await record.closed).toEqual({ completed: false, bytesWritten: afterBytes });
    });

    test('past the end: the whole body, and still no proper end', async () => {
      const got = await exchange(server, wire, PROMPT, { fault: { kind: 'reset', afterBytes: clean.body.length + 100 } });
      expect(got.body.equals(clean.body)).toBe(true);
      expect(got.complete).toBe(false);
    });
  });

  test('stall pauses the body after N bytes, then delivers the rest unchanged', async () => {
    const afterBytes = clean.body.indexOf(Buffer.from('—')) + 2;
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'stall', afterBytes, ms: 500 } });
    expect(got.complete).toBe(true);
    expect(got.body.equals(clean.body)).toBe(true);
    let received = 0;
    const reached = got.arrivals.findIndex((a) => (received += a.bytes) >= afterBytes);
    expect(received).toBe(afterBytes);
    // the server waits the whole 500 ms; the client may notice the first bytes late, so the gap it sees is a little less
    expect(got.arrivals[got.arrivals.length - 1].at - got.sentAt).toBeGreaterThanOrEqual(500);
    expect(got.arrivals[reached + 1].at - got.arrivals[reached].at).toBeGreaterThanOrEqual(350);
    expect(await last().closed).toEqual({ completed: true, bytesWritten: clean.body.length });
  });

  test('status 429 answers before any body, in the API’s error shape, with retry-after', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'status', status: 429, retryAfter: '1' } });
    expect(got.status).toBe(429);
    expect(got.headers?.['retry-after']).toBe('1');
    expect(got.headers?.['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(got.body.toString('utf8'))).toMatchObject(wire.rateLimited as object);
    expect(last().fault).toEqual({ kind: 'status', status: 429, retryAfter: '1' });
  });

  test('a 5xx status answers the API’s server error, without retry-after when none is given', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'status', status: wire.serverError.status } });
    expect(got.status).toBe(wire.serverError.status);
    expect(got.headers?.['retry-after']).toBeUndefined();
    expect(JSON.parse(got.body.toString('utf8'))).toMatchObject(wire.serverError.body as object);
  });

  test.each([0, 2, 1000])('error-event after %i content frames: those frames, then the API’s error, then the end', async (afterChunks) => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'error-event', afterChunks } });
    expect(got).toMatchObject({ status: 200, complete: true });
    const frames = framesOf(got.body.toString('utf8'), wire.framing);
    const before = frames.slice(0, -1);
    expect(wire.isErrorFrame(frames[frames.length - 1])).toBe(true);
    expect(before.map((f) => f.raw)).toEqual(cleanFrames.slice(0, before.length).map((f) => f.raw));
    expect(contentCount(wire, before)).toBe(Math.min(afterChunks, contentCount(wire, cleanFrames)));
    expect(before.some((f) => wire.isTerminal(f))).toBe(false);
  });

  test('malformed after 1 content frame: one frame that does not parse, then the rest of the answer', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'malformed', afterChunks: 1 } });
    expect(got).toMatchObject({ status: 200, complete: true });
    const frames = framesOf(got.body.toString('utf8'), wire.framing);
    const broken = frames.findIndex((f) => f.data !== undefined && f.data !== '[DONE]' && f.json === undefined);
    expect(broken).toBeGreaterThan(0);
    expect(() => JSON.parse(frames[broken].data as string)).toThrow(SyntaxError);
    expect(contentCount(wire, frames.slice(0, broken))).toBe(1);
    const rest = [...frames.slice(0, broken), ...frames.slice(broken + 1)];
    expect(rest.map((f) => f.raw)).toEqual(cleanFrames.map((f) => f.raw));
  });

  test('truncate ends the body after the content, without finish, usage or terminator frames', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'truncate' } });
    expect(got).toMatchObject({ status: 200, complete: true });
    const frames = framesOf(got.body.toString('utf8'), wire.framing);
    expect(frames.map((f) => f.raw)).toEqual(cleanFrames.slice(0, frames.length).map((f) => f.raw));
    expect(frames.some((f) => wire.isTerminal(f))).toBe(false);
    expect(cleanFrames.slice(frames.length).every((f) => wire.isTerminal(f))).toBe(true);
    expect(wire.isContent(frames[frames.length - 1]) || name === 'anthropic').toBe(true);
  });

  test('hang accepts the request and never answers, until the client gives up', async () => {
    const abort = new AbortController();
    const before = server.requests.length;
    const pending = exchange(server, wire, PROMPT, { fault: { kind: 'hang' }, signal: abort.signal });
    while (server.requests[before]?.fault?.kind !== 'hang') await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const record = server.requests[before];
    expect(record.body).toEqual(wire.body(PROMPT));
    expect(record.bytesWritten).toBe(0);
    abort.abort();
    const got = await pending;
    expect(got.status).toBeUndefined();
    expect(got.error?.name).toBe('AbortError');
    expect(await record.closed).toEqual({ completed: false, bytesWritten: 0 });
  });

  test("proxy-page answers 200 with a proxy's HTML sign-in page instead of the stream", async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'proxy-page' } });
    expect(got.status).toBe(200);
    expect(got.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(got.body.toString('utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*Sign in to continue[\s\S]*<\/html>\n$/);
    expect(last().fault).toEqual({ kind: 'proxy-page' });
  });

  test('unstreamed answers 200 with the whole answer as one JSON body, as without stream: true', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'unstreamed' } });
    expect(got.status).toBe(200);
    expect(got.headers?.['content-type']).toBe('application/json');
    expect(() => JSON.parse(got.body.toString('utf8'))).not.toThrow();
    expect(got.body.toString('utf8')).not.toContain('\n');
    expect(last().fault).toEqual({ kind: 'unstreamed' });
  });

  test('close-before-headers drops the connection without an answer', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'close-before-headers' } });
    expect(got.status).toBeUndefined();
    expect(got.error?.code).toBe('ECONNRESET');
    expect(last().fault).toEqual({ kind: 'close-before-headers' });
    expect(await last().closed).toEqual({ completed: false, bytesWritten: 0 });
  });

  describe('cut after N characters of the text', () => {
    const text = WHITESPACE_ANSWER;
    const headers = answerHeader(text);
    let whole: Frame[];
    const raw = (frame: Frame) => frame.raw;
    const isTerminal = (frame: Frame) => wire.isTerminal(frame);
    beforeAll(async () => {
      whole = framesOfExchange(wire, await exchange(server, wire, PROMPT, { headers }));
    });
    const cutAt = async (afterChars: number, options: ExchangeOptions = {}) => {
      const got = await exchange(server, wire, PROMPT, { ...options, headers, fault: { kind: 'cut', afterChars } });
      return { got, frames: framesOfExchange(wire, got) };
    };

    test('right after every space, tab and line end: a client reads exactly that prefix, then the connection breaks off with no finish', async () => {
      expect(wire.textOf(whole)).toBe(text);
      let bytes = 0;
      for (const n of afterWhiteSpace(text)) {
        const { got, frames } = await cutAt(n);
        bytes = got.body.length;
        expect({ n, status: got.status, complete: got.complete, text: wire.textOf(frames) }).toEqual({ n, status: 200, complete: false, text: text.slice(0, n) });
        expect(frames.some(isTerminal)).toBe(false);
        // the piece that spans the cut is split there: the last frame ends exactly at character n
        expect(wire.isContent(frames[frames.length - 1])).toBe(true);
        expect(wire.textOf(frames.slice(0, -1)).length).toBeLessThan(n);
      }
      expect(last().fault).toEqual({ kind: 'cut', afterChars: afterWhiteSpace(text).pop() });
      expect(await last().closed).toEqual({ completed: false, bytesWritten: bytes });
    });

    test('every frame before the cut is the clean answer’s, reasoning included; only the piece that spans the cut is split', async () => {
      const body = (wire.thinkingBody ?? wire.body)(PROMPT);
      const clean = framesOfExchange(wire, await exchange(server, wire, PROMPT, { headers, body }));
      const n = text.indexOf('def stream') + 5;
      const { frames } = await cutAt(n, { body });
      expect(wire.textOf(frames)).toBe(text.slice(0, n));
      expect(frames.slice(0, -1).map(raw)).toEqual(clean.slice(0, frames.length - 1).map(raw));
      expect(wire.textOf(clean.slice(0, frames.length)).startsWith(text.slice(0, n))).toBe(true);
      // reasoning (and whatever else leads) comes before the first text frame, and all of it is there
      expect(frames.length).toBeGreaterThan(clean.findIndex((frame) => wire.textOf([frame]) !== ''));
    });

    test('a cut inside a surrogate pair moves to after the pair', async () => {
      const n = text.indexOf('👍') + 1;
      const { frames } = await cutAt(n);
      expect(wire.textOf(frames)).toBe(text.slice(0, n + 1));
      expect(wire.textOf(frames).endsWith('👍')).toBe(true);
    });

    test('past the end of the text: all of it, and still no finish, usage or terminator', async () => {
      const { got, frames } = await cutAt(text.length + 10);
      expect(got.complete).toBe(false);
      expect(wire.textOf(frames)).toBe(text);
      expect(frames.some(isTerminal)).toBe(false);
      expect(whole.some(isTerminal)).toBe(true);
    });

    test('at 0: no text at all, only what leads the answer, then the connection breaks off', async () => {
      const { got, frames } = await cutAt(0);
      expect(got.complete).toBe(false);
      expect(wire.textOf(frames)).toBe('');
      expect(frames.some(isTerminal)).toBe(false);
      expect(frames.map(raw)).toEqual(whole.slice(0, frames.length).map(raw));
    });
  });
});

describe('cut on Perplexity’s <think> block and citation markers', () => {
  const wire = WIRES.perplexity;
  let server: MockServer;
  let text: string;
  const headers = { 'x-mock-citation-markers': '1' };
  const body = (wire.thinkingBody as (prompt: string) => Record<string, unknown>)(PROMPT);
  beforeAll(async () => {
    server = await startMockServer();
    text = wire.textOf(framesOf((await exchange(server, wire, PROMPT, { headers, body })).body.toString('utf8'), 'sse'));
  });
  afterAll(() => server.close());

  test('after white space and inside a marker, the text after the whole <think> block is exactly the prefix', async () => {
    expect(text).toMatch(/\.\[\d\]\[\d\] /);
    const insideMarkers = [...text.matchAll(/\[\d\]/g)].flatMap((m) => [m.index + 1, m.index + 2]);
    for (const n of [0, ...afterWhiteSpace(text), ...insideMarkers]) {
      const got = await exchange(server, wire, PROMPT, { headers, body, fault: { kind: 'cut', afterChars: n } });
      const frames = framesOf(got.body.toString('utf8'), 'sse');
      expect({ n, complete: got.complete, text: wire.textOf(frames) }).toEqual({ n, complete: false, text: text.slice(0, n) });
      // the reasoning stays: the content is the whole <think> block, then the prefix
      const content = frames.map((f) => f.json?.choices?.[0]?.delta?.content ?? '').join('');
      expect(content.startsWith('<think>\n') && content.endsWith(`\n</think>\n\n${text.slice(0, n)}`)).toBe(true);
    }
  });
});

describe('how requests get their faults', () => {
  const wire = WIRES.openai;

  test('the queue fails the next requests in order, then answers clean', async () => {
    const server = await startMockServer();
    try {
      server.queueFaults({ kind: 'status', status: 503 }, { kind: 'reset', afterBytes: 10 }, null, { kind: 'truncate' });
      const statuses: Array<[number | undefined, number, boolean]> = [];
      for (let i = 0; i < 6; i++) {
        const got = await exchange(server, wire, PROMPT);
        statuses.push([got.status, got.body.length, got.complete]);
      }
      const clean = statuses[2];
      expect(statuses[0][0]).toBe(503);
      expect(statuses[1]).toEqual([200, 10, false]);
      expect(clean[0]).toBe(200);
      expect(clean[2]).toBe(true);
      expect(statuses[3][1]).toBeLessThan(clean[1]);
      expect(statuses.slice(4)).toEqual([clean, clean]);
      expect(server.requests.map((r) => r.fault?.kind ?? null)).toEqual(['status', 'reset', null, 'truncate', null, null]);
    } finally {
      await server.close();
    }
  });

  test('startMockServer({ faults }) fills the queue; a request with the header takes its own fault and leaves the queue alone', async () => {
    const server = await startMockServer({ faults: [{ kind: 'status', status: 429, retryAfter: '2' }] });
    try {
      const own = await exchange(server, wire, PROMPT, { fault: { kind: 'status', status: 500 } });
      expect(own.status).toBe(500);
      const bypass = await exchange(server, wire, PROMPT, { fault: null });
      expect(bypass.status).toBe(200);
      const queued = await exchange(server, wire, PROMPT);
      expect(queued.status).toBe(429);
      expect(queued.headers?.['retry-after']).toBe('2');
      expect((await exchange(server, wire, PROMPT)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  test('a bad x-mock-fault header gets a 400 that says what is wrong; a bad queued fault throws at once', async () => {
    const server = await startMockServer();
    try {
      const got = await exchange(server, wire, PROMPT, { headers: { 'x-mock-fault': '{"kind":"reset"}' } });
      expect(got.status).toBe(400);
      expect(JSON.parse(got.body.toString('utf8')).error.message).toBe('x-mock-fault: a reset fault needs afterBytes, a whole number ≥ 0; got undefined');
      const notJson = await exchange(server, wire, PROMPT, { headers: { 'x-mock-fault': 'reset' } });
      expect(notJson.status).toBe(400);
      expect(JSON.parse(notJson.body.toString('utf8')).error.message).toMatch(/^x-mock-fault: /);
      expect(() => server.queueFaults({ kind: 'explode' } as unknown as MockFault)).toThrow(/unknown mock fault kind "explode"/);
      expect(() => server.queueFaults({ kind: 'status', status: 200 })).toThrow(/HTTP error status from 400 to 599/);
      const badCut = await exchange(server, wire, PROMPT, { headers: { 'x-mock-fault': '{"kind":"cut","afterChars":-1}' } });
      expect(badCut.status).toBe(400);
      expect(JSON.parse(badCut.body.toString('utf8')).error.message).toBe('x-mock-fault: a cut fault needs afterChars, a whole number ≥ 0; got -1');
      expect(() => server.queueFaults({ kind: 'cut', afterChars: 1.5 })).toThrow('a cut fault needs afterChars, a whole number ≥ 0; got 1.5');
    } finally {
      await server.close();
    }
  });

  test('a frame fault has nothing to break in a JSON answer: it answers clean and records no fault; byte faults still cut it', async () => {
    const server = await startMockServer();
    try {
      const json = { ...wire, body: (prompt: string) => ({ model: 'gpt-4o-mini', messages: messages(prompt) }) };
      const whole = await exchange(server, json, PROMPT, { fault: { kind: 'truncate' } });
      expect(whole.status).toBe(200);
      expect(JSON.parse(whole.body.toString('utf8')).choices[0].message.content).toBe(answerFor(messages(PROMPT), { sentences: 5 }).text);
      expect(server.requests[0].fault).toBeNull();
      const cut = await exchange(server, json, PROMPT, { fault: { kind: 'reset', afterBytes: 50 } });
      expect(cut.body.equals(whole.body.subarray(0, 50))).toBe(true);
      expect(cut.complete).toBe(false);
      expect(server.requests[1].fault).toEqual({ kind: 'reset', afterBytes: 50 });
    } finally {
      await server.close();
    }
  });

  test('a cut has nothing to break in a JSON answer either: the whole answer, and no fault recorded', async () => {
    const server = await startMockServer();
    try {
      const json = { ...wire, body: (prompt: string) => ({ model: 'gpt-4o-mini', messages: messages(prompt) }) };
      const got = await exchange(server, json, PROMPT, { fault: { kind: 'cut', afterChars: 10 } });
      expect(got).toMatchObject({ status: 200, complete: true });
      expect(JSON.parse(got.body.toString('utf8')).choices[0].message.content).toBe(answerFor(messages(PROMPT), { sentences: 5 }).text);
      expect(server.requests[0].fault).toBeNull();
    } finally {
      await server.close();
    }
  });

  test('a cut sends no tool call, even past the end of the text', async () => {
    const server = await startMockServer();
    try {
      const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
      const body = { model: 'gpt-4o-mini', stream: true, tools, messages: messages('Call get_weather for Lyon') };
      const clean = framesOf((await exchange(server, wire, PROMPT, { body })).body.toString('utf8'), 'sse');
      expect(clean.some((f) => f.json?.choices?.[0]?.delta?.tool_calls !== undefined)).toBe(true);
      const got = await exchange(server, wire, PROMPT, { body, fault: { kind: 'cut', afterChars: 100 } });
      const frames = framesOf(got.body.toString('utf8'), 'sse');
      expect(got.complete).toBe(false);
      expect(frames.some((f) => f.json?.choices?.[0]?.delta?.tool_calls !== undefined)).toBe(false);
      expect(frames.some((f) => wire.isTerminal(f))).toBe(false);
    } finally {
      await server.close();
    }
  });

  test('in a continuation request, afterChars counts into the continuation’s text', async () => {
    const server = await startMockServer();
    try {
      const question = messages(PROMPT);
      const original = answerFor(question, { sentences: 5 }).text;
      const partial = original.slice(0, 40);
      const body = { model: 'gpt-4o-mini', stream: true, messages: [...question, { role: 'assistant', content: partial }, { role: 'user', content: 'Continue.' }] };
      const got = await exchange(server, wire, PROMPT, { body, fault: { kind: 'cut', afterChars: 25 } });
      expect(got.complete).toBe(false);
      expect(wire.textOf(framesOf(got.body.toString('utf8'), 'sse'))).toBe(original.slice(40, 65));
    } finally {
      await server.close();
    }
  });
});
