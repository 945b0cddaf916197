import { Agent as HttpAgent } from 'node:http';
import { Readable } from 'node:stream';
import { firstValueFrom, lastValueFrom, tap, toArray } from 'rxjs';
import {
  isAbortError,
  isConfigError,
  isHttpError,
  isStreamInterruptedError,
  isStreamTimeoutError,
  streamChat$,
  type ConfigError,
  type HttpError,
} from '../../lib';
import type { FetchInit, FetchLike } from '../../lib/transport/transportOptions';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { prepareRequest } from '../support/prepareRequest';

const user = (content: string) => [{ role: 'user' as const, content }];
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

/** The request options that change how a request is sent: `fetch`, `httpAgent` / `httpsAgent`, `proxy`. */
describe('transport per request', () => {
  let server: MockServer;
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  const baseURL = () => `${server.url}/v1`;

  /** the global fetch, recording how it was called */
  const recordingFetch = () => {
    const calls: Array<{ url: string; init: FetchInit }> = [];
    const fetch: FetchLike = (url, init) => {
      calls.push({ url, init });
      return globalThis.fetch(url, init);
    };
    return { fetch, calls };
  };

  describe('fetch', () => {
    test('sends with the given fetch, as fetch(url, { method, headers, body, signal }), and streams the answer', async () => {
      const { fetch, calls } = recordingFetch();
      const before = server.requests.length;
      const chunks = await lastValueFrom(streamChat$('openai', user('Through my fetch'), { baseURL: baseURL(), apiKey: 'sk-fetch', fetch }).pipe(toArray()));
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Through my fetch')).text);
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      expect(calls).toHaveLength(1);
      expect(calls[0].url).toBe(`${baseURL()}/chat/completions`);
      expect(calls[0].init).toMatchObject({ method: 'POST', headers: { authorization: 'Bearer sk-fetch', 'content-type': 'application/json' } });
      expect(JSON.parse(calls[0].init.body!)).toMatchObject({ stream: true, messages: [{ role: 'user', content: 'Through my fetch' }] });
      expect(calls[0].init.signal).toBeInstanceOf(AbortSignal);
      expect(server.requests.length).toBe(before + 1);
    });

    test('reads the body as it arrives: the first chunk comes while the server still withholds the rest', async () => {
      const { fetch } = recordingFetch();
      const before = server.requests.length;
      // the server sends its first events, then holds the rest for ten minutes: a fetch read whole would wait for them
      const stall = JSON.stringify({ kind: 'stall', afterBytes: 600, ms: 600_000 });
      const first = await firstValueFrom(streamChat$('openai', user('Tell me a story'), { baseURL: baseURL(), fetch, headers: { 'x-mock-fault': stall } }));
      expect(first.content).toBeTruthy();
      expect(server.requests[before].bytesWritten).toBe(600);
      // leaving after the first chunk aborted the request: the server saw it go, the answer unfinished
      expect(await server.requests[before].closed).toMatchObject({ completed: false });
    });

    test("the caller's signal aborts it mid-stream: AbortError, and the server sees the connection closed", async () => {
      const { fetch } = recordingFetch();
      const before = server.requests.length;
      const controller = new AbortController();
      // aborted once the first chunk is in: mid-stream, however slow the machine
      const stream$ = streamChat$('openai', user('abort me'), { baseURL: baseURL(), fetch, signal: controller.signal, headers: { 'x-mock-chunk-delay-ms': '30' } });
      const { chunks, error } = await collect(stream$.pipe(tap({ next: (chunk) => chunk.seq === 0 && setTimeout(() => controller.abort(), 0) })));
      expect(isAbortError(error)).toBe(true);
      expect(chunks.length).toBeGreaterThan(0);
      expect((await server.requests[before].closed).completed).toBe(false);
    });

    test('the idle limit applies: a stalled body fails with StreamTimeoutError (idle)', async () => {
      const { fetch } = recordingFetch();
      const { error } = await collect(
        streamChat$('openai', user('stall'), { baseURL: baseURL(), fetch, timeout: { idleMs: 150 }, headers: { 'x-mock-fault': JSON.stringify({ kind: 'stall', afterBytes: 50, ms: 2000 }) } }),
      );
      expect(isStreamTimeoutError(error) && error.kind).toBe('idle');
    });

    test('a non-2xx answer is the same HttpError (status, retry-after)', async () => {
      const { fetch } = recordingFetch();
      const { error } = await collect(
        streamChat$('openai', user('busy'), { baseURL: baseURL(), fetch, headers: { 'x-mock-fault': JSON.stringify({ kind: 'status', status: 429, retryAfter: '2' }) } }),
      );
      expect(isHttpError(error)).toBe(true);
      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000 });
    });

    test('a refused connection is a retryable StreamInterruptedError with the code fetch hides in its cause, and no secret', async () => {
      const closed = await startMockServer();
      const url = `${closed.url}/v1`;
      await closed.close();
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: url, apiKey: 'sk-refused-secret', fetch: recordingFetch().fetch }));
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^openai: connection failed before the response body \(ECONNREFUSED\): fetch failed: connect ECONNREFUSED/);
      expect((error as { retryable: boolean }).retryable).toBe(true);
      expect(JSON.stringify(error) + (error as Error).message).not.toContain('sk-refused-secret');
    });

    test('a test double: a response whose body is a Node stream (node-fetch) reads as well', async () => {
      const body = [
        'data: {"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hello "}}]}\n\n',
        'data: {"id":"d1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"double"},"finish_reason":"stop"}]}\n\n',
        'data: [DONE]\n\n',
      ];
      const fetch: FetchLike = async () => ({ status: 200, headers: new Headers({ 'content-type': 'text/event-stream' }), body: Readable.from(body.map((b) => Buffer.from(b))) });
      const answer = await lastValueFrom(streamChat$('openai', user('x'), { baseURL: 'http://never.invalid/v1', fetch }).pipe(toArray()));
      expect(answer.map((c) => c.content).join('')).toBe('Hello double');
    });

    test('is not taken with an agent or a proxy beside it: ConfigError naming each', async () => {
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), fetch: recordingFetch().fetch, httpAgent: new HttpAgent(), proxy: false }));
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).message).toMatch(/httpAgent: expected nothing beside fetch/);
      expect((error as ConfigError).message).toMatch(/proxy: expected nothing beside fetch/);
    });

    test('a side request (LM Studio validateLocal) goes out through it too', async () => {
      const { fetch, calls } = recordingFetch();
      const { error } = await collect(streamChat$('lmstudio', user('x'), { baseURL: server.url, model: 'qwen/qwen3-4b', validateLocal: true, fetch }));
      expect(error).toBeUndefined();
      expect(calls.map((c) => `${c.init.method} ${new URL(c.url).pathname}`)).toEqual(['GET /api/v0/models', 'POST /v1/chat/completions']);
    });
  });

  describe('httpAgent', () => {
    test('an http: request goes through the given agent (a keep-alive pool)', async () => {
      const agent = new HttpAgent({ keepAlive: true });
      const addRequest = jest.spyOn(agent as unknown as { addRequest: (...args: unknown[]) => void }, 'addRequest');
      try {
        await lastValueFrom(streamChat$('openai', user('one'), { baseURL: baseURL(), httpAgent: agent }));
        await lastValueFrom(streamChat$('openai', user('two'), { baseURL: baseURL(), httpAgent: agent }));
        expect(addRequest).toHaveBeenCalledTimes(2);
        // and not for a request without it
        await lastValueFrom(streamChat$('openai', user('three'), { baseURL: baseURL() }));
        expect(addRequest).toHaveBeenCalledTimes(2);
      } finally {
        agent.destroy();
      }
    });

    test('an object that is not an http.Agent (an undici dispatcher) is a ConfigError', async () => {
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), httpAgent: { dispatch: () => true } as never }));
      expect((error as ConfigError).message).toMatch(/httpAgent: expected an http\.Agent \(an object with addRequest\(\)\), got an object without addRequest\(\)/);
    });
  });

  describe('proxy', () => {
    test('a URL: the request goes to that proxy (absolute-form request line), with its credentials, whatever the environment says', async () => {
      process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // would refuse
      const before = server.requests.length;
      const chunks = await lastValueFrom(
        streamChat$('openai', user('Via the proxy'), { baseURL: 'http://llm.invalid/v1', proxy: `http://proxy-user:proxy-pass@127.0.0.1:${server.port}` }).pipe(toArray()),
      );
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Via the proxy')).text);
      expect(server.requests[before].path).toBe('http://llm.invalid/v1/chat/completions');
      expect(server.requests[before].headers['proxy-authorization']).toBe(`Basic ${Buffer.from('proxy-user:proxy-pass').toString('base64')}`);
    });

    test('false: no proxy, though HTTP_PROXY names one', async () => {
      process.env.HTTP_PROXY = 'http://127.0.0.1:9';
      const refused = await collect(streamChat$('openai', user('x'), { baseURL: baseURL() }));
      expect(isStreamInterruptedError(refused.error)).toBe(true);
      const direct = await collect(streamChat$('openai', user('Direct'), { baseURL: baseURL(), proxy: false }));
      expect(direct.error).toBeUndefined();
      expect(direct.chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Direct')).text);
    });

    test("the proxy's credentials are secrets: never shown in an error", async () => {
      const prepared = prepareRequest('openai', user('x'), { apiKey: 'k', proxy: 'http://bob:p%40ss-word@proxy.example:3128' });
      expect(prepared.secrets).toEqual(expect.arrayContaining(['p%40ss-word', 'p@ss-word', 'bob:p@ss-word', Buffer.from('bob:p@ss-word').toString('base64')]));
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), proxy: 'socks5://bob:p@ss-word@proxy.example' as never }));
      expect((error as ConfigError).message).toMatch(/proxy: expected a proxy URL \(http:\/\/ or https:\/\/\) or false, got <redacted>/);
      expect((error as ConfigError).message).not.toContain('ss-word');
    });

    test("an HttpError through the proxy names none of the proxy's credentials", async () => {
      const before = server.requests.length;
      const { error } = await collect(
        streamChat$('openai', user('x'), {
          baseURL: 'http://llm.invalid/v1',
          proxy: `http://proxy-user:proxy-pass-secret@127.0.0.1:${server.port}`,
          headers: { 'x-mock-fault': JSON.stringify({ kind: 'status', status: 407 }) },
        }),
      );
      expect(server.requests.length).toBe(before + 1);
      expect((error as HttpError).status).toBe(407);
      expect(JSON.stringify(error) + (error as Error).message).not.toContain('proxy-pass-secret');
    });
  });
});
