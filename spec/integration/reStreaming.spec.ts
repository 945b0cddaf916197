import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createParser } from 'eventsource-parser';
import { streamChat$ } from '../../lib';
import { pipeToResponse } from '../../operators';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';

describe('re-streaming to a browser with pipeToResponse', () => {
  let upstream: MockServer;
  let app: Server;
  let url: string;
  /** what the server's `onError` heard */
  const failures: unknown[] = [];
  beforeAll(async () => {
    upstream = await startMockServer();
    // a plain Node server, as an Express handler would be
    app = createServer((req, res) => {
      const q = new URL(req.url ?? '/', 'http://x').searchParams.get('q') ?? '';
      const delay = new URL(req.url ?? '/', 'http://x').searchParams.get('delay') ?? '0';
      const onError = new URL(req.url ?? '/', 'http://x').searchParams.has('log') ? (error: unknown) => failures.push(error) : undefined;
      streamChat$('openai', [{ role: 'user', content: q }], { baseURL: mockBaseURL(upstream, 'openai'), headers: { 'x-mock-chunk-delay-ms': delay } })
        .pipe(pipeToResponse(res, onError ? { onError } : {}))
        .subscribe();
    });
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => app.close(r));
    await upstream.close();
  });

  test('the browser receives every chunk as an event with seq as id, then done', async () => {
    const res = await fetch(`${url}/chat?q=${encodeURIComponent('re-stream this')}`);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events: Array<{ id?: string; event?: string; data: string }> = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    const decoder = new TextDecoder();
    const reader = res.body!.getReader();
    for (let part = await reader.read(); !part.done; part = await reader.read()) parser.feed(decoder.decode(part.value, { stream: true }));
    const chunks = events.filter((e) => !e.event).map((e) => JSON.parse(e.data));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor([{ role: 'user', content: 're-stream this' }]).text);
    expect(events.filter((e) => !e.event).map((e) => e.id)).toEqual(chunks.map((_, i) => String(i)));
    expect(events[events.length - 1]).toMatchObject({ event: 'done', data: '{"finishReason":"stop"}' });
  });

  test('a client that disconnects aborts the upstream request', async () => {
    const before = upstream.requests.length;
    const controller = new AbortController();
    const res = await fetch(`${url}/chat?q=slow&delay=30`, { signal: controller.signal });
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    await reader.cancel().catch(() => undefined);
    const end = await upstream.requests[before].closed;
    expect(end.completed).toBe(false);
  });

  test("a failure before the first chunk keeps the provider's status and a JSON body, not a 200; the server's onError hears it", async () => {
    upstream.queueFaults({ kind: 'status', status: 401 });
    const res = await fetch(`${url}/chat?q=refused&log`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ error: { name: 'HttpError', message: expect.stringContaining('HTTP 401'), retryable: false, status: 401 } });
    expect(failures.at(-1)).toMatchObject({ name: 'HttpError', status: 401 });
  });

  test('a failure after the first chunk is an error event in the 200 stream; onError hears it, and without one a line goes to console.error', async () => {
    upstream.queueFaults({ kind: 'error-event', afterChunks: 2 });
    const res = await fetch(`${url}/chat?q=breaks&log`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/event: error\ndata: \{"name":"ProviderStreamError"/);
    expect(failures.at(-1)).toMatchObject({ name: 'ProviderStreamError' });

    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      upstream.queueFaults({ kind: 'status', status: 503 });
      expect((await fetch(`${url}/chat?q=unlogged`)).status).toBe(503);
      expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^rxllm pipeToResponse: the stream failed: HttpError: .*HTTP 503/));
    } finally {
      logged.mockRestore();
    }
  });
});
