import { inspect } from 'node:util';
import { lastValueFrom, take, toArray } from 'rxjs';
import {
  isAbortError,
  isConfigError,
  isHttpError,
  isParseError,
  isStreamInterruptedError,
  isStreamTimeoutError,
  streamChat$,
  toResponse,
  type AbortError,
  type ChatResponse,
  type HttpError,
  type ProviderId,
} from '../../lib';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('streamChat$ over HTTP', () => {
  let server: MockServer;
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startMockServer();
    replay = await startReplayServer();
  });
  afterAll(async () => {
    await server.close();
    await replay.close();
  });
  const baseURL = () => `${server.url}/v1`;

  test('streams the mock model answer, with seq contiguous from 0', async () => {
    const chunks = await lastValueFrom(streamChat$('openai', user('Tell me about streams'), { baseURL: baseURL() }).pipe(toArray()));
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Tell me about streams')).text);
    expect(chunks.every((c) => c.provider === 'openai')).toBe(true);
    expect(chunks[chunks.length - 1].usage?.outputTokens).toBeGreaterThan(0);
  });

  test('is cold: each subscription sends its own request', async () => {
    const before = server.requests.length;
    const stream$ = streamChat$('openai', user('cold'), { baseURL: baseURL() });
    expect(server.requests.length).toBe(before);
    await lastValueFrom(stream$);
    await lastValueFrom(stream$);
    expect(server.requests.length).toBe(before + 2);
  });

  test('a tool call streams as fragments and assembles with parsed arguments', async () => {
    const tools = [{ name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }];
    const answer = await lastValueFrom(
      streamChat$('openai', user('Use get_weather for Paris'), { baseURL: baseURL(), tools }).pipe(toResponse()),
    );
    expect(answer.finishReason).toBe('tool_calls');
    expect(answer.toolCalls).toHaveLength(1);
    expect(answer.toolCalls[0]).toMatchObject({ index: 0, name: 'get_weather', arguments: { city: 'Paris' } });
    expect(answer.toolCalls[0].id).toMatch(/^call_/);
  });

  test('unsubscribing mid-stream closes the socket, as the server sees it', async () => {
    const before = server.requests.length;
    const chunks = await lastValueFrom(
      streamChat$('openai', user('slow please'), { baseURL: baseURL(), headers: { 'x-mock-chunk-delay-ms': '30' } }).pipe(take(2), toArray()),
    );
    expect(chunks).toHaveLength(2);
    const end = await server.requests[before].closed;
    expect(end.completed).toBe(false);
    await waitFor(() => server.openConnections() === 0);
    expect(server.openConnections()).toBe(0);
  });

  test("the caller's AbortSignal aborts the request and errors the stream with AbortError (spec/transport/abort.spec.ts has the rest)", async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    const result = collect(streamChat$('openai', user('abort me'), { baseURL: baseURL(), signal: controller.signal, headers: { 'x-mock-chunk-delay-ms': '30' } }));
    setTimeout(() => controller.abort(), 80);
    const { error } = await result;
    expect(isAbortError(error)).toBe(true);
    expect((error as AbortError).retryable).toBe(false);
    expect((await server.requests[before].closed).completed).toBe(false);
  });

  test('no timer or socket is left after a stream completes', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    await lastValueFrom(streamChat$('openai', user('timers'), { baseURL: baseURL(), timeout: { idleMs: 5000, firstChunkMs: 5000, totalMs: 5000 } }));
    expect(timers()).toBe(before);
  });

  describe('a bad call fails with ConfigError before any request', () => {
    const cases: Array<[string, () => ReturnType<typeof streamChat$>, RegExp]> = [
      ['timeout.idleMs of the wrong type', () => streamChat$('openai', user('x'), { baseURL: baseURL(), timeout: { idleMs: 'soon' as never } }), /timeout\.idleMs: expected a positive number or false, got "soon"/],
      ['an unknown provider id', () => streamChat$('nope' as ProviderId, user('x'), { baseURL: baseURL() }), /provider: expected a provider object or one of 'openai'.*got "nope"/],
      ['no messages', () => streamChat$('openai', [], { baseURL: baseURL() }), /messages: expected at least one message/],
      ['an unknown role', () => streamChat$('openai', [{ role: 'robot' as never, content: 'x' }], { baseURL: baseURL() }), /messages\.0\.role: expected .*got "robot"/],
      ['a negative maxTokens', () => streamChat$('openai', user('x'), { baseURL: baseURL(), maxTokens: -5 }), /maxTokens: expected a positive integer, got -5/],
      ['a function where a number belongs', () => streamChat$('openai', user('x'), { baseURL: baseURL(), temperature: (() => 1) as never }), /temperature: expected a number from 0 to 2, got a function/],
      ['an unknown option', () => streamChat$('openai', user('x'), { baseURL: baseURL(), maxToken: 5 } as never), /maxToken: expected a known option of openai/],
      ['a base URL that is not http(s)', () => streamChat$('openai', user('x'), { baseURL: 'ftp://example' }), /baseURL: expected an http\(s\) URL/],
      ['a prefill continuation from a provider that cannot continue one', () => streamChat$('openai', user('x'), { baseURL: baseURL(), recovery: { continuation: 'prefill' } }), /recovery\.continuation: expected 'instruction' \(openai cannot continue a prefilled answer\), got 'prefill'/],
      ['an unknown continuation form', () => streamChat$('anthropic', user('x'), { baseURL: baseURL(), recovery: { continuation: 'rewind' as never } }), /recovery\.continuation: expected .*got "rewind"/],
      ['trackMetrics with nowhere to report', () => streamChat$('openai', user('x'), { baseURL: baseURL(), trackMetrics: true }), /trackMetrics: expected onMetrics or metrics\$/],
    ];
    test.each(cases)('%s', async (_, call, message) => {
      const before = server.requests.length;
      const { error, chunks } = await collect(call());
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(message);
      expect(chunks).toEqual([]);
      expect(server.requests.length).toBe(before);
    });

    test('a missing API key for the provider itself names the environment variable', async () => {
      const saved = process.env.OPENAI_API_KEY;
      delete process.env.OPENAI_API_KEY;
      try {
        const { error } = await collect(streamChat$('openai', user('x')));
        expect(isConfigError(error)).toBe(true);
        expect((error as Error).message).toMatch(/apiKey: expected an API key \(pass apiKey or set OPENAI_API_KEY\)/);
      } finally {
        if (saved !== undefined) process.env.OPENAI_API_KEY = saved;
      }
    });

    test('a wrongly typed apiKey is not echoed in the message', async () => {
      const { error } = await collect(streamChat$('openai', user('x'), { apiKey: ['sk-secret-in-array'] as never }));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain('apiKey: expected a non-empty string, got <redacted>');
      expect(inspect(error)).not.toContain('sk-secret-in-array');
    });
  });

  test('the API key comes from OPENAI_API_KEY when not given', async () => {
    const saved = process.env.OPENAI_API_KEY;
    process.env.OPENAI_API_KEY = 'sk-from-env-1234';
    try {
      const before = server.requests.length;
      await lastValueFrom(streamChat$('openai', user('env key'), { baseURL: baseURL() }));
      expect(server.requests[before].headers.authorization).toBe('Bearer sk-from-env-1234');
    } finally {
      if (saved === undefined) delete process.env.OPENAI_API_KEY;
      else process.env.OPENAI_API_KEY = saved;
    }
  });

  describe('HTTP errors', () => {
    const KEY = 'sk-test-KNOWN-0123456789abcdef';
    const errorFor = async (status: number, body: string, headers: Record<string, string> = {}) => {
      replay.respondWith({ status, body: Buffer.from(body), contentType: 'application/json', headers });
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: KEY }));
      expect(isHttpError(error)).toBe(true);
      return error as HttpError;
    };

    test('a 401 carries status, parsed body and a readable message, and never the key', async () => {
      const body = JSON.stringify({ error: { message: `Incorrect API key provided: ${KEY}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
      const error = await errorFor(401, body, { 'x-request-id': 'req_1', 'set-cookie': `session=${KEY}` });
      // the key really was sent: the test would mean nothing otherwise
      expect(replay.received[replay.received.length - 1].headers.authorization).toBe(`Bearer ${KEY}`);
      expect(error.status).toBe(401);
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(/openai answered HTTP 401: invalid_request_error: Incorrect API key provided: \[REDACTED\]/);
      expect(error.body).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
      expect(error.headers['x-request-id']).toBe('req_1');
      for (const rendering of [error.message, JSON.stringify(error), inspect(error, { depth: 10 }), String(error.stack)]) {
        expect(rendering).not.toContain(KEY);
      }
    });

    test('a 429 is retryable and says how long to wait (retry-after in seconds)', async () => {
      const error = await errorFor(429, JSON.stringify({ error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' } }), { 'retry-after': '2' });
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(2000);
    });

    test('retry-after-ms wins over retry-after', async () => {
      const error = await errorFor(503, '{"error":{"message":"busy"}}', { 'retry-after-ms': '150', 'retry-after': '9' });
      expect(error.retryAfterMs).toBe(150);
      expect(error.retryable).toBe(true);
    });

    test('a 429 for an exhausted quota is not retryable', async () => {
      const error = await errorFor(429, JSON.stringify({ error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } }));
      expect(error.retryable).toBe(false);
    });

    test('a non-JSON body (a proxy page) is kept as text with a short message', async () => {
      const error = await errorFor(502, '<html><body><h1>502 Bad Gateway</h1></body></html>');
      expect(error.body).toBe('<html><body><h1>502 Bad Gateway</h1></body></html>');
      expect(error.message).toBe('openai answered HTTP 502: 502 Bad Gateway');
    });
  });

  test('a connection refused is a typed, retryable error without the key', async () => {
    const closed = await startReplayServer();
    const url = closed.url;
    await closed.close();
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: url, apiKey: 'sk-refused-secret-99' }));
    expect(isStreamInterruptedError(error)).toBe(true);
    expect((error as { retryable: boolean }).retryable).toBe(true);
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toContain('sk-refused-secret-99');
  });

  test('a stream that ends without [DONE] or a finish reason is an error with the partial answer, never a success', async () => {
    const body = ['Hel', 'lo'].map((c) => `data: ${JSON.stringify({ id: 'x', choices: [{ index: 0, delta: { content: c }, finish_reason: null }] })}\n\n`).join('');
    replay.respondWith({ body: Buffer.from(body) });
    const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: 'k-123456' }));
    expect(chunks.map((c) => c.content).join('')).toBe('Hello');
    expect(isStreamInterruptedError(error)).toBe(true);
    expect((error as { partial: ChatResponse }).partial.content).toBe('Hello');
  });

  test('invalid JSON in an event is a ParseError carrying the raw line', async () => {
    replay.respondWith({ body: Buffer.from('data: {"choices":[{"index":0,"delta":{"content":"ok"}}]}\n\ndata: {not json\n\n') });
    const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: 'k-123456' }));
    expect(chunks.map((c) => c.content)).toEqual(['ok']);
    expect(isParseError(error)).toBe(true);
    expect((error as { raw: string }).raw).toBe('{not json');
    expect((error as { kind: string }).kind).toBe('json');
  });

  test('a payload of the wrong shape is a ParseError naming the path', async () => {
    replay.respondWith({ body: Buffer.from('data: {"choices":[{"index":0,"delta":{"content":42}}]}\n\n') });
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: 'k-123456' }));
    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/choices\.0\.delta\.content: expected/);
  });

  test('an event larger than maxEventBytes fails with a ParseError instead of growing memory', async () => {
    const huge = `data: {"choices":[{"index":0,"delta":{"content":"${'x'.repeat(300_000)}"}}]}\n\n`;
    replay.respondWith({ body: Buffer.from(huge), cuts: [65_536, 131_072, 196_608] });
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: 'k-123456', maxEventBytes: 100_000 }));
    expect(isParseError(error)).toBe(true);
    expect((error as { kind: string }).kind).toBe('event-too-large');
  });

  test('an idle timeout aborts a stalled stream with StreamTimeoutError(kind idle)', async () => {
    const before = server.requests.length;
    const { chunks, error } = await collect(
      streamChat$('openai', user('stall'), { baseURL: baseURL(), timeout: 60, headers: { 'x-mock-chunk-delay-ms': '400' } }),
    );
    expect(isStreamTimeoutError(error)).toBe(true);
    expect((error as { kind: string }).kind).toBe('idle');
    expect(chunks.length).toBeLessThan(3);
    expect((await server.requests[before].closed).completed).toBe(false);
  });

  test('a first-chunk timeout fires when the answer does not start in time', async () => {
    const { error } = await collect(
      streamChat$('openai', user('late'), { baseURL: baseURL(), timeout: { firstChunkMs: 50 }, headers: { 'x-mock-first-chunk-delay-ms': '400' } }),
    );
    expect(isStreamTimeoutError(error)).toBe(true);
    expect((error as { kind: string }).kind).toBe('first-chunk');
  });

  test('onError is called once with the typed error, and the Observable still errors', async () => {
    const seen: unknown[] = [];
    replay.respondWith({ status: 500, body: Buffer.from('{"error":{"message":"boom","type":"server_error"}}'), contentType: 'application/json' });
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: 'k-123456', onError: (e) => seen.push(e) }));
    expect(seen).toEqual([error]);
    expect(isHttpError(error)).toBe(true);
  });
});

async function waitFor(condition: () => boolean, ms = 2000) {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}
