import { from, lastValueFrom, of, take, throwError, toArray, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { HttpError, isConfigError, isHttpError, isLocalServerError, StreamInterruptedError, streamChat$, type Chunk, type LocalServerError } from '../../lib';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { lmstudio, showPerformance, validateLocal } from '../../providers/lmstudio';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const chunk = (seq: number, content?: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'lmstudio', seq, bytes: 10, ...(content === undefined ? {} : { content }), ...extra });
const user = (content: string) => [{ role: 'user' as const, content }];
const V0_LIST = (state: string) => ({ object: 'list', data: [{ id: 'qwen/qwen3-4b', object: 'model', type: 'llm', state }, { id: 'google/gemma-3-4b', type: 'llm', state: 'loaded' }] });

describe('showPerformance', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('measured: time to first token from the subscription, first → last token, tokens/s from the usage; the chunks after the finish wait for the end', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const r = chunk(0); // role chunk: no token
      const a = chunk(1, 'Hel');
      const b = chunk(2, 'lo');
      const c = chunk(3, '!', { finishReason: 'stop' });
      const u = chunk(4, undefined, { usage: { outputTokens: 3 } });
      const source = cold('-r--a---b---c-u--|', { r, a, b, c, u });
      expectObservable(source.pipe(showPerformance({ scheduler }))).toBe('-r--a---b--------(cu|)', {
        r,
        a,
        b,
        c,
        u: { ...u, metadata: { performance: { timeToFirstTokenMs: 4, generationTimeMs: 8, tokensPerSecond: 250, outputTokens: 3, source: 'measured' } } },
      });
      expectSubscriptions(source.subscriptions).toBe('^----------------!');
    });
  });

  test("server: LM Studio's own stats win (seconds → ms), also when they come on the finish chunk", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'Hi');
      const f = chunk(1, undefined, {
        finishReason: 'stop',
        usage: { outputTokens: 53 },
        metadata: { stats: { tokensPerSecond: 51.43709529007664, timeToFirstTokenSeconds: 0.111, generationTimeSeconds: 0.954, stopReason: 'eosFound' } },
      });
      expectObservable(cold('-a-f|', { a, f }).pipe(showPerformance({ scheduler }))).toBe('-a--(f|)', {
        a,
        f: {
          ...f,
          metadata: {
            ...f.metadata,
            performance: { timeToFirstTokenMs: 111, tokensPerSecond: 51.43709529007664, generationTimeMs: 954, outputTokens: 53, source: 'server' },
          },
        },
      });
    });
  });

  test('server, REST v1 (no generation time in its stats): the generation time is the output tokens over the server tokens/s', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'Hi');
      const f = chunk(1, undefined, {
        finishReason: 'stop',
        usage: { inputTokens: 329, outputTokens: 268, reasoningTokens: 5, totalTokens: 597 },
        metadata: { stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781 } },
      });
      expectObservable(cold('-a---f|', { a, f }).pipe(showPerformance({ scheduler }))).toBe('-a----(f|)', {
        a,
        f: {
          ...f,
          metadata: {
            ...f.metadata,
            performance: { timeToFirstTokenMs: 781, tokensPerSecond: 43.73, generationTimeMs: Math.round((268 / 43.73) * 1e6) / 1e3, outputTokens: 268, source: 'server' },
          },
        },
      });
    });
  });

  test('server stats without a generation time and without an output count: everything measured, no mix', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'a');
      const b = chunk(1, 'b');
      const f = chunk(2, undefined, { finishReason: 'stop', metadata: { stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781 } } });
      expectObservable(cold('--a--b-f|', { a, b, f }).pipe(showPerformance({ scheduler }))).toBe('--a--b--(f|)', {
        a,
        b,
        f: {
          ...f,
          metadata: {
            ...f.metadata,
            performance: { timeToFirstTokenMs: 2, generationTimeMs: 3, tokensPerSecond: 1000 / 3, outputTokens: 2, outputTokensEstimated: true, source: 'measured' },
          },
        },
      });
    });
  });

  test('no usage: tokens are counted by token-carrying chunks and flagged; a stream that ends without a finish reason gets a last chunk', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'a');
      const b = chunk(1, 'b');
      expectObservable(cold('--a----b|', { a, b }).pipe(showPerformance({ scheduler }))).toBe('--a----b(z|)', {
        a,
        b,
        z: { provider: 'lmstudio', seq: 2, bytes: 0, metadata: { performance: { timeToFirstTokenMs: 2, generationTimeMs: 5, tokensPerSecond: 200, outputTokens: 2, outputTokensEstimated: true, source: 'measured' } } },
      });
    });
  });

  test('an error: the held chunks go out, without figures, then the error', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'a', { finishReason: 'stop' });
      const error = new Error('reset');
      expectObservable(cold('-a-#', { a }, error).pipe(showPerformance({ scheduler }))).toBe('---(a#)', { a }, error);
    });
  });

  test('unsubscribing early unsubscribes from the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a: chunk(0, 'a'), b: chunk(1, 'b', { finishReason: 'stop' }) });
      expectObservable(source.pipe(showPerformance({ scheduler })), '^--!').toBe('-a-', { a: chunk(0, 'a') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take; a bad scheduler fails at creation', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => chunk(i, 'x'));
    expect((await lastValueFrom(from(many).pipe(showPerformance(), take(3), toArray()))).map((c) => c.seq)).toEqual([0, 1, 2]);
    expect(() => showPerformance({ scheduler: {} as never })).toThrow(/scheduler/);
  });
});

describe('validateLocal', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));
  const config = (requestJson: (request: HttpRequest) => Observable<unknown>, extra = {}) => ({
    baseURL: 'http://localhost:1234/',
    model: 'qwen/qwen3-4b',
    headers: { accept: 'text/event-stream', authorization: 'Bearer lm-secret-token' },
    secrets: ['lm-secret-token'],
    requestJson,
    scheduler,
    ...extra,
  });

  test('the chat request is subscribed to only after the model list says the model is loaded', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const asked: HttpRequest[] = [];
      const list = cold('---(l|)', { l: V0_LIST('loaded') });
      const source = cold('-a-b|', { a: chunk(0, 'Hi'), b: chunk(1, '!') });
      const checked = source.pipe(
        validateLocal(
          config((request) => {
            asked.push(request);
            return list;
          }),
        ),
      );
      expectObservable(checked).toBe('----a-b|', { a: chunk(0, 'Hi'), b: chunk(1, '!') });
      expectSubscriptions(source.subscriptions).toBe('---^---!');
      scheduler.flush();
      expect(asked).toEqual([{ url: 'http://localhost:1234/api/v0/models', method: 'GET', headers: { authorization: 'Bearer lm-secret-token', accept: 'application/json' } }]);
    });
  });

  test('a model that is not loaded: LocalServerError naming the fix, and the chat request is never made', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a|', { a: chunk(0, 'Hi') });
      const out = source.pipe(validateLocal(config(() => cold('--(l|)', { l: V0_LIST('not-loaded') }))));
      expectObservable(out).toBe('--#', undefined, expect.objectContaining({ name: 'LocalServerError', kind: 'model-not-loaded', fix: 'lms load qwen/qwen3-4b' }));
      expectSubscriptions(source.subscriptions).toBe([]);
    });
    let error: LocalServerError | undefined;
    of(chunk(0, 'Hi'))
      .pipe(validateLocal({ baseURL: 'http://localhost:1234', model: 'qwen/qwen3-4b', requestJson: () => of(V0_LIST('not-loaded')) }))
      .subscribe({ error: (e) => (error = e) });
    expect(isLocalServerError(error)).toBe(true);
    expect(error!.message).toBe('lmstudio: the model "qwen/qwen3-4b" is not loaded in LM Studio at http://localhost:1234 — load the model: lms load qwen/qwen3-4b');
  });

  test('a model the server does not have: model-not-found, with the models it has (embeddings aside)', () => {
    let error: LocalServerError | undefined;
    of(chunk(0, 'Hi'))
      .pipe(validateLocal({ baseURL: 'http://localhost:1234', model: 'mistral-7b', requestJson: () => of({ data: [...V0_LIST('loaded').data, { id: 'text-embedding-x', type: 'embeddings', state: 'loaded' }] }) }))
      .subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ name: 'LocalServerError', kind: 'model-not-found', fix: 'lms get mistral-7b', available: ['qwen/qwen3-4b', 'google/gemma-3-4b'] });
    expect(error!.message).toMatch(/has no model "mistral-7b" \(it has qwen\/qwen3-4b, google\/gemma-3-4b\) — download the model: lms get mistral-7b$/);
  });

  test('ids match case aside, or without the publisher', () => {
    const pass = (model: string, listed: string) => {
      let done = false;
      of(chunk(0, 'x'))
        .pipe(validateLocal({ baseURL: 'http://h:1', model, requestJson: () => of({ data: [{ id: listed, state: 'loaded' }] }) }))
        .subscribe({ complete: () => (done = true), error: () => undefined });
      return done;
    };
    expect(pass('Qwen/Qwen3-4B', 'qwen/qwen3-4b')).toBe(true);
    expect(pass('qwen/qwen3-4b', 'qwen3-4b')).toBe(true);
    expect(pass('qwen3-4b', 'qwen3-8b')).toBe(false);
  });

  test('no REST API (404): falls back to GET /v1/models, where a listed model passes and a missing one is not loaded', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const notFound = new HttpError({ provider: 'lmstudio', status: 404, body: { error: 'Unexpected endpoint or method. (GET /api/v0/models)' }, headers: {}, detail: 'Unexpected endpoint', retryable: false });
      const asked: string[] = [];
      const answer = (data: unknown[]) => (request: HttpRequest) => {
        asked.push(request.url);
        return request.url.endsWith('/api/v0/models') ? cold('-#', undefined, notFound) : cold('-(l|)', { l: { data } });
      };
      const source = cold('a|', { a: chunk(0, 'Hi') });
      expectObservable(source.pipe(validateLocal(config(answer([{ id: 'qwen/qwen3-4b', object: 'model' }]))))).toBe('--a|', { a: chunk(0, 'Hi') });
      expectObservable(source.pipe(validateLocal(config(answer([{ id: 'google/gemma-3-4b' }]))))).toBe(
        '--#',
        undefined,
        expect.objectContaining({ kind: 'model-not-loaded', message: expect.stringContaining('is not among the models LM Studio at http://localhost:1234 serves — load the model: lms load qwen/qwen3-4b') }),
      );
      scheduler.flush();
      // (the two checks run side by side in virtual time)
      expect(asked.sort()).toEqual(['http://localhost:1234/api/v0/models', 'http://localhost:1234/api/v0/models', 'http://localhost:1234/v1/models', 'http://localhost:1234/v1/models']);
    });
  });

  test('unreachable: a network failure, or no answer within timeoutMs, names "lms server start"; the token is in no message', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const refused = new StreamInterruptedError('lmstudio: http://localhost:1234/api/v0/models could not be reached (ECONNREFUSED): connect ECONNREFUSED', { provider: 'lmstudio' });
      const source = cold('a|', { a: chunk(0, 'Hi') });
      expectObservable(source.pipe(validateLocal(config(() => throwError(() => refused))))).toBe(
        '#',
        undefined,
        expect.objectContaining({ kind: 'unreachable', fix: 'lms server start', message: "lmstudio: no LM Studio server answers at http://localhost:1234 (ECONNREFUSED) — start LM Studio's server: lms server start" }),
      );
      expectObservable(source.pipe(validateLocal(config(() => cold('-'), { timeoutMs: 50 })))).toBe(
        '50ms #',
        undefined,
        expect.objectContaining({ kind: 'unreachable', message: expect.stringContaining('did not answer /api/v0/models within 50 ms') }),
      );
    });
  });

  test('another HTTP failure (401 with authentication on) is the HttpError itself; a body that is no model list is a ParseError', () => {
    const unauthorized = new HttpError({ provider: 'lmstudio', status: 401, body: { error: 'Unauthorized' }, headers: {}, detail: 'Unauthorized', retryable: false });
    let error: unknown;
    of(chunk(0, 'x')).pipe(validateLocal({ baseURL: 'http://h:1', model: 'm', requestJson: () => throwError(() => unauthorized) })).subscribe({ error: (e) => (error = e) });
    expect(error).toBe(unauthorized);
    of(chunk(0, 'x')).pipe(validateLocal({ baseURL: 'http://h:1', model: 'm', requestJson: () => of({ models: [] }) })).subscribe({ error: (e) => (error = e) });
    expect(error).toMatchObject({ name: 'ParseError', kind: 'schema' });
  });

  test('a bad configuration fails at creation', () => {
    expect(() => validateLocal({ baseURL: 'localhost:1234', model: 'm' })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'baseURL', expected: 'an http(s) URL (a relative one only in a browser page, which resolves it)', got: '"localhost:1234"' }] }),
    );
    expect(() => validateLocal({ baseURL: 'http://h', model: '' })).toThrow(/model: expected a non-empty string, got ""/);
    expect(() => validateLocal({ baseURL: 'http://h', model: 'm', secrets: 'sk-secret' as never })).toThrow(/secrets: expected .*, got <redacted>/);
    expect(() => validateLocal({ baseURL: 'http://h', model: 'm', timeoutMs: 0 })).toThrow(/timeoutMs/);
  });

  test('with showPerformance inside it, the performance clock starts after the check', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'a');
      const b = chunk(1, 'b', { finishReason: 'stop', usage: { outputTokens: 2 } });
      const out = cold('-a-b|', { a, b }).pipe(showPerformance({ scheduler }), validateLocal(config(() => cold('-----(l|)', { l: V0_LIST('loaded') }))));
      expectObservable(out).toBe('------a--(b|)', {
        a,
        b: { ...b, metadata: { performance: { timeToFirstTokenMs: 1, generationTimeMs: 2, tokensPerSecond: 500, outputTokens: 2, source: 'measured' } } },
      });
    });
  });
});

describe('lmstudio features on the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const saved = process.env.LM_API_TOKEN;
  beforeAll(async () => {
    delete process.env.LM_API_TOKEN;
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'lmstudio');
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.LM_API_TOKEN = saved;
    await server.close();
  });
  const since = (from: number) => server.requests.slice(from).map((r) => `${r.method} ${r.path}`);

  test('the mock lists models: GET /api/v0/models with their state, GET /v1/models the loaded ones', async () => {
    const headers = { 'x-mock-unloaded-models': 'google/gemma-3-4b' };
    const v0 = await (await fetch(`${server.url}/api/v0/models`, { headers })).json();
    expect(v0.data.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual([
      ['qwen/qwen3-4b', 'loaded'],
      ['google/gemma-3-4b', 'not-loaded'],
      ['text-embedding-nomic-embed-text-v1.5', 'loaded'],
    ]);
    const v1 = await (await fetch(`${server.url}/v1/models`, { headers })).json();
    expect(v1.data.map((m: { id: string }) => m.id)).toEqual(['qwen/qwen3-4b', 'text-embedding-nomic-embed-text-v1.5']);
    const legacy = await fetch(`${server.url}/api/v0/models`, { headers: { 'x-mock-lmstudio-legacy': '1' } });
    expect(legacy.status).toBe(404);
  });

  test('validateLocal: a loaded model passes — the model list first, then the chat request', async () => {
    const before = server.requests.length;
    const { chunks, error } = await collect(streamChat$('lmstudio', user('Hi'), { baseURL, validateLocal: true, apiKey: 'lm-mock-token' }));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Hi')).text);
    expect(since(before)).toEqual(['GET /api/v0/models', 'POST /v1/chat/completions']);
    expect(server.requests[before].headers.authorization).toBe('Bearer lm-mock-token');
    expect(server.requests[before + 1].body).not.toHaveProperty('validateLocal');
  });

  test('validateLocal: a model that is not loaded fails with "lms load <model>", and no chat request is sent', async () => {
    const before = server.requests.length;
    const { chunks, error } = await collect(
      streamChat$('lmstudio', user('Hi'), { baseURL, apiKey: 'lm-mock-token', validateLocal: true, headers: { 'x-mock-unloaded-models': 'qwen/qwen3-4b' } }),
    );
    expect(chunks).toEqual([]);
    expect(isLocalServerError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'model-not-loaded', model: 'qwen/qwen3-4b', fix: 'lms load qwen/qwen3-4b' });
    expect((error as Error).message).toContain('load the model: lms load qwen/qwen3-4b');
    expect((error as Error).message).not.toContain('lm-mock-token');
    expect(since(before)).toEqual(['GET /api/v0/models']);
  });

  test('validateLocal: a model the server does not have names "lms get"; an older server is asked GET /v1/models', async () => {
    const missing = await collect(streamChat$('lmstudio', user('Hi'), { baseURL, model: 'mistral-7b-instruct', validateLocal: true }));
    expect(missing.error).toMatchObject({ kind: 'model-not-found', fix: 'lms get mistral-7b-instruct' });

    const before = server.requests.length;
    const legacy = { 'x-mock-lmstudio-legacy': '1' };
    const ok = await collect(streamChat$('lmstudio', user('Hi'), { baseURL, validateLocal: true, headers: legacy }));
    expect(ok.error).toBeUndefined();
    expect(since(before)).toEqual(['GET /api/v0/models', 'GET /v1/models', 'POST /v1/chat/completions']);
    const unloaded = await collect(streamChat$('lmstudio', user('Hi'), { baseURL, validateLocal: true, headers: { ...legacy, 'x-mock-unloaded-models': 'qwen/qwen3-4b' } }));
    expect(unloaded.error).toMatchObject({ kind: 'model-not-loaded', fix: 'lms load qwen/qwen3-4b' });
  });

  test('validateLocal: no server at the address fails with "lms server start"', async () => {
    const gone = await startMockServer();
    const url = gone.url;
    await gone.close();
    const { chunks, error } = await collect(streamChat$('lmstudio', user('Hi'), { baseURL: url, validateLocal: { timeoutMs: 2000 } }));
    expect(chunks).toEqual([]);
    expect(error).toMatchObject({ name: 'LocalServerError', kind: 'unreachable', fix: 'lms server start' });
    expect((error as Error).message).toMatch(/^lmstudio: no LM Studio server answers at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\) — start LM Studio's server: lms server start$/);
  });

  test('showPerformance, native (REST v1): the server stats on the final chunk', async () => {
    const messages = user('Tell me about local models.');
    const { chunks, error } = await collect(streamChat$('lmstudio', messages, { baseURL, native: true, showPerformance: true }));
    expect(error).toBeUndefined();
    const tokens = tokenize(answerFor(messages).text).length;
    const final = chunks[chunks.length - 1];
    expect(final.metadata?.performance).toEqual({ timeToFirstTokenMs: 250, tokensPerSecond: 40, generationTimeMs: (tokens / 40) * 1000, outputTokens: tokens, source: 'server' });
    expect(chunks.filter((c) => c.metadata?.performance)).toHaveLength(1);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
  });

  test('showPerformance, OpenAI-compatible endpoint: measured, consistent with the pacing', async () => {
    const messages = user('Tell me about local models.');
    const headers = { 'x-mock-first-chunk-delay-ms': '60', 'x-mock-chunk-delay-ms': '15' };
    const { chunks } = await collect(streamChat$('lmstudio', messages, { baseURL, headers, showPerformance: true }));
    const tokens = tokenize(answerFor(messages).text).length;
    const performance = chunks[chunks.length - 1].metadata?.performance as Record<string, number>;
    expect(performance).toMatchObject({ source: 'measured', outputTokens: tokens });
    expect(performance.timeToFirstTokenMs).toBeGreaterThanOrEqual(55);
    // the tokens after the first come 15 ms apart (the role chunk comes first)
    expect(performance.generationTimeMs).toBeGreaterThanOrEqual((tokens - 1) * 15 * 0.8);
    expect(performance.tokensPerSecond).toBeCloseTo((tokens - 1) / (performance.generationTimeMs / 1000), 6);
    expect(performance.tokensPerSecond).toBeLessThan(1000 / 15 / 0.8);
  });

  test('with the options off the stream is unchanged chunk for chunk, and no model list is asked for', async () => {
    const messages = user('Tell me about local models.');
    const plain = await collect(streamChat$('lmstudio', messages, { baseURL, native: true }));
    const before = server.requests.length;
    const off = await collect(streamChat$('lmstudio', messages, { baseURL, native: true, showPerformance: false, validateLocal: false }));
    expect(off).toEqual(plain);
    expect(since(before)).toEqual(['POST /api/v1/chat']);
    const context = (options: Record<string, unknown>) => ({ options: { model: 'm', baseURL, ...options }, request: { url: '', method: 'POST' as const, headers: {} }, secrets: [] });
    expect(lmstudio.features!(context({}))).toEqual([]);
    expect(lmstudio.features!(context({ showPerformance: true, validateLocal: true }))).toHaveLength(2);
  });

  test('a bad validateLocal setting is a ConfigError naming it', async () => {
    const { error } = await collect(streamChat$('lmstudio', user('Hi'), { baseURL, validateLocal: { timeoutMs: -1 } }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/validateLocal\.timeoutMs/);
    expect(isHttpError(error)).toBe(false);
  });
});
