import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { answerFor, startMockServer, type MockFault, type MockServer } from '../../testing';

/** One wire frame of a body, as a client on the wire sees it. */
interface Frame {
  raw: string;
  /** the SSE `event:` name */
  event?: string;
  /** the SSE `data:` payload, or the NDJSON line */
  data?: string;
  /** the payload parsed; `undefined` when it is not JSON (`[DONE]`, a comment, a broken frame) */
  json?: any;
}

/**
 * One API as the tests speak it on the wire, raw: where to send a streaming request, and how to tell
 * its frames apart, written from the API's own documentation (not from the mock's code).
 */
interface Wire {
  path: string;
  headers?: Record<string, string>;
  body(prompt: string): Record<string, unknown>;
  framing: 'sse' | 'ndjson';
  /** a frame that carries the answer and no finish reason */
  isContent(frame: Frame): boolean;
  /** a frame with the finish reason, the usage or the terminator */
  isTerminal(frame: Frame): boolean;
  /** the API's error event inside a 200 stream */
  isErrorFrame(frame: Frame): boolean;
  /** what its HTTP error bodies look like: a 429 with `retry-after: 1`, and a 5xx */
  rateLimited: unknown;
  serverError: { status: number; body: unknown };
}

const messages = (prompt: string) => [{ role: 'user', content: prompt }];
const openaiError = (frame: Frame) => frame.json?.error?.type === 'server_error';
const chatChoice = (frame: Frame) => frame.json?.choices?.[0];
const chatContent = (frame: Frame) => {
  const delta = chatChoice(frame)?.delta;
  return chatChoice(frame)?.finish_reason == null && (Boolean(delta?.content) || Boolean(delta?.reasoning_content) || delta?.tool_calls !== undefined);
};
const chatTerminal = (frame: Frame) => frame.data === '[DONE]' || chatChoice(frame)?.finish_reason != null || (frame.json?.choices?.length === 0 && frame.json?.usage !== undefined);

const WIRES: Record<string, Wire> = {
  openai: {
    path: '/v1/chat/completions',
    body: (prompt) => ({ model: 'gpt-4o-mini', messages: messages(prompt), stream: true, stream_options: { include_usage: true } }),
    framing: 'sse',
    isContent: chatContent,
    isTerminal: chatTerminal,
    isErrorFrame: openaiError,
    rateLimited: { error: { type: 'requests', code: 'rate_limit_exceeded', message: expect.any(String) } },
    serverError: { status: 500, body: { error: { type: 'server_error', message: expect.any(String) } } },
  },
  mistral: {
    path: '/v1/chat/completions',
    body: (prompt) => ({ model: 'mistral-small-latest', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: chatContent,
    isTerminal: chatTerminal,
    isErrorFrame: openaiError,
    rateLimited: { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', code: '1300' },
    serverError: { status: 503, body: { object: 'error', message: expect.any(String) } },
  },
  perplexity: {
    path: '/chat/completions',
    body: (prompt) => ({ model: 'sonar', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: (frame) => frame.json?.object === 'chat.completion.chunk',
    isTerminal: (frame) => frame.json?.object === 'chat.completion.done',
    isErrorFrame: openaiError,
    rateLimited: { error: { code: 429, message: expect.any(String) } },
    serverError: { status: 500, body: { error: { code: 500, message: expect.any(String) } } },
  },
  lmstudio: {
    path: '/api/v0/chat/completions',
    body: (prompt) => ({ model: 'qwen/qwen3-4b', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: chatContent,
    isTerminal: chatTerminal,
    isErrorFrame: openaiError,
    rateLimited: { error: expect.any(String) },
    serverError: { status: 503, body: { error: expect.any(String) } },
  },
  anthropic: {
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: (prompt) => ({ model: 'claude-sonnet-4-6', max_tokens: 4096, messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: (frame) => frame.event === 'content_block_delta',
    isTerminal: (frame) => frame.event === 'message_delta' || frame.event === 'message_stop',
    isErrorFrame: (frame) => frame.event === 'error' && frame.json?.type === 'error' && frame.json?.error?.type === 'overloaded_error',
    rateLimited: { type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } },
    serverError: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
  },
  gemini: {
    path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    body: (prompt) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    framing: 'sse',
    isContent: (frame) => frame.json?.candidates?.[0] !== undefined && frame.json.candidates[0].finishReason === undefined,
    isTerminal: (frame) => frame.json?.candidates?.[0]?.finishReason !== undefined,
    isErrorFrame: (frame) => frame.json?.error?.code === 503 && frame.json?.error?.status === 'UNAVAILABLE',
    rateLimited: {
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.any(String), details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }] },
    },
    serverError: { status: 503, body: { error: { code: 503, status: 'UNAVAILABLE', message: expect.any(String) } } },
  },
  ollama: {
    path: '/api/chat',
    body: (prompt) => ({ model: 'llama3.2', messages: messages(prompt), stream: true }),
    framing: 'ndjson',
    isContent: (frame) => frame.json?.done === false,
    isTerminal: (frame) => frame.json?.done === true,
    isErrorFrame: (frame) => typeof frame.json?.error === 'string',
    rateLimited: { error: 'rate limit exceeded' },
    serverError: { status: 500, body: { error: expect.any(String) } },
  },
};

/** The frames of a body: SSE events (up to their blank line) or NDJSON lines, each with its raw text. */
function framesOf(body: string, framing: Wire['framing']): Frame[] {
  const raws = body.split(framing === 'sse' ? /(?<=\r\n\r\n|\n\n)/ : /(?<=\n)/).filter((raw) => raw !== '');
  return raws.map((raw) => {
    const frame: Frame = { raw };
    if (framing === 'ndjson') frame.data = raw.trimEnd();
    else {
      for (const line of raw.split(/\r?\n/)) {
        if (line.startsWith('event:')) frame.event = line.slice(6).trim();
        if (line.startsWith('data:')) frame.data = line.slice(5).trimStart();
      }
    }
    try {
      frame.json = frame.data === undefined ? undefined : JSON.parse(frame.data);
    } catch {
      frame.json = undefined;
    }
    return frame;
  });
}

/** What a raw HTTP exchange gave: the head (if any), the body bytes with their arrival times, and how it ended. */
interface Exchange {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: Buffer;
  arrivals: Array<{ at: number; bytes: number }>;
  /** when the request was sent (`performance.now()`) */
  sentAt: number;
  /** true when the body ended normally */
  complete: boolean;
  error?: NodeJS.ErrnoException;
}

/** Sends a request over its own connection with node:http and records everything that comes back. */
function exchange(server: MockServer, wire: Wire, prompt: string, options: { fault?: MockFault | null; signal?: AbortSignal; headers?: Record<string, string> } = {}) {
  const payload = JSON.stringify(wire.body(prompt));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-mock-sentences': '5', ...wire.headers, ...options.headers };
  if (options.fault !== undefined) headers['x-mock-fault'] = JSON.stringify(options.fault);
  return new Promise<Exchange>((resolve) => {
    const result: Exchange = { body: Buffer.alloc(0), arrivals: [], complete: false, sentAt: performance.now() };
    const parts: Buffer[] = [];
    const finish = () => resolve({ ...result, body: Buffer.concat(parts) });
    const req = httpRequest(`${server.url}${wire.path}`, { method: 'POST', headers, agent: false, signal: options.signal }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (part: Buffer) => {
        parts.push(part);
        result.arrivals.push({ at: performance.now(), bytes: part.length });
      });
      res.on('end', () => (result.complete = res.complete));
      res.on('error', (error) => (result.error = error));
      res.on('close', finish);
    });
    req.on('error', (error) => {
      result.error = error;
      if (result.status === undefined) finish();
    });
    req.end(payload);
  });
}

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

  test('close-before-headers drops the connection without an answer', async () => {
    const got = await exchange(server, wire, PROMPT, { fault: { kind: 'close-before-headers' } });
    expect(got.status).toBeUndefined();
    expect(got.error?.code).toBe('ECONNRESET');
    expect(last().fault).toEqual({ kind: 'close-before-headers' });
    expect(await last().closed).toEqual({ completed: false, bytesWritten: 0 });
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
});
