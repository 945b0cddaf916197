import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isHttpError, getProvider, streamChat$, type HttpError, type ProviderId } from '../../lib';
import { readBodyText } from '../../lib/transport/readBodyText';
import { streamContentTypeMismatch } from '../../lib/transport/streamContentType';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { FIXTURES_DIR } from '../support/fixtures';
import { startReplayServer } from '../support/replayServer';

const user = (content: string) => [{ role: 'user' as const, content }];

/**
 * A 200 that is not the stream asked for — a proxy's sign-in page, the whole JSON answer of a proxy
 * that dropped `stream: true` — fails at once with an HttpError that names the content type and
 * shows the start of the body, instead of reading nothing and ending "without [DONE]".
 */
describe('a 2xx answer that is not a stream', () => {
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
  const fault = (kind: 'proxy-page' | 'unstreamed') => ({ 'x-mock-fault': JSON.stringify({ kind }) });

  const SIGN_IN: Array<[ProviderId, string]> = [
    ['openai', '/v1'],
    ['anthropic', '/v1'],
    ['gemini', '/v1beta'],
    ['ollama', ''],
  ];
  test.each(SIGN_IN)("%s: a proxy's HTML sign-in page (200, text/html) is an HttpError naming the type and the page, not retryable", async (id, prefix) => {
    const { chunks, error } = await collect(
      streamChat$(id, user('Hello?'), { baseURL: `${server.url}${prefix}`, apiKey: 'sk-secret-never-shown', headers: fault('proxy-page') }),
    );
    expect(chunks).toEqual([]);
    expect(isHttpError(error)).toBe(true);
    const e = error as HttpError;
    expect(e.status).toBe(200);
    expect(e.retryable).toBe(false);
    expect(e.headers['content-type']).toBe('text/html; charset=utf-8');
    const expected = id === 'ollama' ? 'a stream of JSON lines (application/x-ndjson)' : 'an event stream (text/event-stream)';
    expect(e.message).toMatch(new RegExp(`^${id} answered HTTP 200: text/html; charset=utf-8 instead of ${expected.replace(/[()]/g, '\\$&')}: Sign in - Example Corp web gateway Sign in to continue`));
    expect(e.message).not.toMatch(/DONE|ended|sk-secret/);
    expect(e.message.length).toBeLessThan(500);
    expect(typeof e.body).toBe('string');
    expect(e.body as string).toMatch(/^<!DOCTYPE html>/);
  });

  const UNSTREAMED: Array<[ProviderId, string, RegExp]> = [
    ['openai', '/v1', /"object":"chat\.completion"/],
    ['anthropic', '/v1', /"type":"message"/],
    ['mistral', '/v1', /"object":"chat\.completion"/],
    ['gemini', '/v1beta', /^\[\{"candidates"/],
  ];
  test.each(UNSTREAMED)('%s: the whole JSON answer (a proxy dropped stream: true) is an HttpError naming application/json, with the answer in its body', async (id, prefix, start) => {
    const before = server.requests.length;
    const { chunks, error } = await collect(streamChat$(id, user('Say something'), { baseURL: `${server.url}${prefix}`, headers: fault('unstreamed') }));
    expect(server.requests[before].fault).toEqual({ kind: 'unstreamed' });
    expect(chunks).toEqual([]);
    expect(isHttpError(error)).toBe(true);
    const e = error as HttpError;
    expect(e.status).toBe(200);
    expect(e.retryable).toBe(false);
    expect(e.message).toMatch(new RegExp(`^${id} answered HTTP 200: application/json instead of an event stream \\(text/event-stream\\): `));
    expect(JSON.stringify(e.body)).toMatch(start);
  });

  test("ollama: application/json is one of NDJSON's types — the whole answer (stream: false) is one line and reads as the stream", async () => {
    const before = server.requests.length;
    const { chunks, error } = await collect(streamChat$('ollama', user('Say something'), { baseURL: server.url, headers: fault('unstreamed') }));
    expect(error).toBeUndefined();
    expect(server.requests[before].fault).toEqual({ kind: 'unstreamed' });
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Say something')).text);
    expect(chunks[chunks.length - 1].finishReason).toBe('stop');
  });

  test('recovery does not retry it: the same proxy answers the same', async () => {
    const before = server.requests.length;
    server.queueFaults({ kind: 'proxy-page' }, null);
    const { error } = await collect(streamChat$('openai', user('Hello?'), { baseURL: `${server.url}/v1`, streamRecovery: true }));
    server.clearFaults();
    expect(isHttpError(error) && error.status === 200).toBe(true);
    expect(server.requests.length).toBe(before + 1);
  });

  test('x-should-retry: true makes it retryable, as for any HttpError', async () => {
    replay.respondWith({ body: Buffer.from('<html>wait</html>'), contentType: 'text/html', headers: { 'x-should-retry': 'true' } });
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url }));
    expect(isHttpError(error) && error.retryable).toBe(true);
  });

  test('secrets in the body are redacted in the message and the body', async () => {
    const key = 'sk-echoed-by-the-proxy-1234';
    replay.respondWith({ body: Buffer.from(`<html><body>Denied for key ${key}</body></html>`), contentType: 'text/html' });
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url, apiKey: key }));
    expect((error as HttpError).message).toContain('Denied for key [REDACTED]');
    expect(JSON.stringify(error)).not.toContain(key);
    expect((error as HttpError).body).not.toContain(key);
  });

  test.each([
    ['no content type', ''],
    ['text/plain (a fetch double, a server that names no format)', 'text/plain; charset=utf-8'],
    ['application/octet-stream', 'application/octet-stream'],
    ['TEXT/EVENT-STREAM;charset=UTF-8', 'TEXT/EVENT-STREAM;charset=UTF-8'],
  ])('%s: the stream is read (the framing decides)', async (_, contentType) => {
    const answer = 'data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n';
    replay.respondWith({ body: Buffer.from(answer), contentType });
    const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: replay.url }));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content).join('')).toBe('Hi');
  });

  test('an event stream where JSON lines are asked for (ollama) is refused before its lines are parsed', async () => {
    replay.respondWith({ body: Buffer.from('data: {"x":1}\n\n'), contentType: 'text/event-stream' });
    const { error } = await collect(streamChat$('ollama', user('x'), { baseURL: replay.url }));
    expect((error as HttpError).message).toBe('ollama answered HTTP 200: text/event-stream instead of a stream of JSON lines (application/x-ndjson): data: {"x":1}');
  });
});

describe('streamContentTypeMismatch', () => {
  test("every 200 body recorded from the real APIs (external/manifest.json) has a type its provider's framing reads", () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURES_DIR, 'external', 'manifest.json'), 'utf8')) as {
      fixtures: Array<{ provider: string; contentType: string; status?: number }>;
    };
    const streams = manifest.fixtures.filter((f) => f.status === undefined || f.status === 200);
    expect(streams.length).toBeGreaterThan(250);
    const refused = streams.filter((f) => streamContentTypeMismatch(getProvider(f.provider)!.framing, f.contentType) !== undefined);
    expect(refused).toEqual([]);
  });

  test.each([
    ['sse', 'text/html', 'an event stream (text/event-stream)'],
    ['sse', 'application/json; charset=utf-8', 'an event stream (text/event-stream)'],
    ['sse', 'application/problem+json', 'an event stream (text/event-stream)'],
    ['sse', 'application/x-ndjson', 'an event stream (text/event-stream)'],
    ['ndjson', 'text/html', 'a stream of JSON lines (application/x-ndjson)'],
    ['ndjson', 'text/event-stream', 'a stream of JSON lines (application/x-ndjson)'],
    ['ndjson', 'application/json; charset=utf-8', undefined],
    ['ndjson', ' Application/X-NDJSON ', undefined],
    ['sse', undefined, undefined],
  ] as const)('%s, %p: %p', (framing, type, expected) => {
    expect(streamContentTypeMismatch(framing, type)).toBe(expected);
  });
});

describe("readBodyText(…, 'stop')", () => {
  test('hands over the start of a body that does not end, and releases it', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('a'.repeat(40)));
        controller.enqueue(new TextEncoder().encode('b'.repeat(40)));
        // and never more, never an end
      },
      cancel() {
        cancelled = true;
      },
    });
    const text = await new Promise<string>((resolve) => readBodyText(body, 64, resolve, 'stop'));
    expect(text).toBe('a'.repeat(40) + 'b'.repeat(40));
    await new Promise((r) => setTimeout(r, 0));
    expect(cancelled).toBe(true);
  });
});
