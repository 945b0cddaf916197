import { messageText } from '../../lib/messageText';
import { lastValueFrom, take, toArray } from 'rxjs';
import { exhaustedForMs, isAbortError, isHttpError, rateLimitHint, streamMany$, type AbortError, type ManyEvent, type ManyMetrics, type ManyRequest, type ProviderId } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { startReplayServer } from '../support/replayServer';

const ask = (server: MockServer, id: string, provider: ProviderId = 'openai', delay = '5'): ManyRequest => ({
  id,
  provider,
  messages: [{ role: 'user', content: `question ${id}` }],
  options: { baseURL: mockBaseURL(server, provider), apiKey: 'k-many', headers: { 'x-mock-chunk-delay-ms': delay } },
});

describe('streamMany$', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test('runs every chat, tags each chunk with its request id, and completes when all are done', async () => {
    const requests = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ask(server, id, (['openai', 'anthropic', 'ollama'] as const)[i % 3]));
    const events = await lastValueFrom(streamMany$(requests, { concurrency: 2 }).pipe(toArray()));
    for (const r of requests) {
      const text = events.filter((e): e is Extract<ManyEvent, { chunk: unknown }> => e.requestId === r.id && 'chunk' in e).map((e) => e.chunk.content ?? '').join('');
      expect(text).toBe(answerFor(r.messages.map((m) => ({ role: m.role, content: messageText(m) }))).text);
    }
  });

  test('never runs more than `concurrency` at once, nor more than maxConcurrent of one provider', async () => {
    let open = 0;
    let most = 0;
    let mostOpenAI = 0;
    let openAI = 0;
    const requests = Array.from({ length: 8 }, (_, i) => ask(server, `r${i}`, i % 2 ? 'openai' : 'mistral', '3'));
    const seen = new Set<string>();
    await lastValueFrom(
      streamMany$(requests, {
        concurrency: 3,
        perProvider: { openai: { maxConcurrent: 1 } },
        onMetrics: (m) => {
          most = Math.max(most, m.running);
          for (const [id, metrics] of Object.entries(m.perRequest)) {
            const isOpenAI = Number(id.slice(1)) % 2 === 1;
            if (metrics.status === 'streaming' && !seen.has(id)) (seen.add(id), isOpenAI && openAI++, open++);
            if (metrics.status !== 'streaming' && seen.has(id)) (seen.delete(id), isOpenAI && openAI--, open--);
          }
          mostOpenAI = Math.max(mostOpenAI, openAI);
        },
      }),
    );
    expect(most).toBeLessThanOrEqual(3);
    expect(most).toBeGreaterThanOrEqual(2);
    expect(mostOpenAI).toBe(1);
    expect(open).toBe(0);
  });

  test('requestsPerMinute holds back starts beyond the limit', async () => {
    const requests = ['x', 'y', 'z'].map((id) => ask(server, id, 'openai', '0'));
    // two may start in this minute; the third would wait a minute: stop once the first two are done
    const settled = await new Promise<ManyMetrics>((resolve) => {
      const subscription = streamMany$(requests, {
        perProvider: { openai: { requestsPerMinute: 2 } },
        onMetrics: (m) => {
          if (m.completed === 2) {
            setImmediate(() => subscription.unsubscribe());
            resolve(m);
          }
        },
      }).subscribe();
    });
    expect(settled).toMatchObject({ completed: 2, queued: 1, running: 0 });
    expect(Object.keys(settled.perRequest).sort()).toEqual(['x', 'y']);
  });

  test.each([
    ['requests', { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '400ms' }],
    ['tokens', { 'x-ratelimit-remaining-requests': '9', 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '400ms' }],
  ])('a response that says no %s remain holds back the next start until the window resets', async (_, headers) => {
    const replay = await startReplayServer();
    const body = Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
    replay.respondWith({ body, headers });
    replay.respondWith({ body, headers });
    const started: number[] = [];
    const requests: ManyRequest[] = ['p', 'q'].map((id) => ({
      id,
      provider: 'openai',
      messages: [{ role: 'user', content: id }],
      options: { baseURL: replay.url, apiKey: 'k', onResponse: () => started.push(Date.now()) },
    }));
    await lastValueFrom(streamMany$(requests, { concurrency: 1 }).pipe(toArray()));
    await replay.close();
    expect(started).toHaveLength(2);
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(380);
  });

  test('a chat that fails emits its error and the others go on; the combined metrics count both', async () => {
    const broken: ManyRequest = { id: 'broken', provider: 'openai', messages: [{ role: 'user', content: 'x' }], options: { baseURL: `${server.url}/nowhere`, apiKey: 'k' } };
    let last: ManyMetrics | undefined;
    const events = await lastValueFrom(streamMany$([broken, ask(server, 'fine')], { onMetrics: (m) => (last = m) }).pipe(toArray()));
    const failure = events.find((e) => e.requestId === 'broken' && 'error' in e) as { error: unknown } | undefined;
    expect(isHttpError(failure?.error)).toBe(true);
    expect(events.filter((e) => e.requestId === 'fine' && 'chunk' in e).length).toBeGreaterThan(3);
    expect(last).toMatchObject({ total: 2, completed: 1, failed: 1, running: 0, queued: 0 });
    expect(last!.chunksReceived).toBe(last!.perRequest.fine.chunksReceived);
  });

  test("a chat whose own signal aborts emits its AbortError, is counted as cancelled (not failed), and the others go on", async () => {
    const controller = new AbortController();
    const stopped = ask(server, 'stopped', 'openai', '30');
    stopped.options = { ...stopped.options, signal: controller.signal };
    let last: ManyMetrics | undefined;
    const events = await lastValueFrom(
      streamMany$([stopped, ask(server, 'kept')], {
        onMetrics: (m) => {
          last = m;
          if (m.perRequest.stopped?.chunksReceived >= 2 && !controller.signal.aborted) controller.abort(new Error('user left'));
        },
      }).pipe(toArray()),
    );
    const ended = events.find((e) => e.requestId === 'stopped' && 'error' in e) as { error: AbortError } | undefined;
    expect(isAbortError(ended?.error)).toBe(true);
    expect((ended!.error.reason as Error).message).toBe('user left');
    expect(events.filter((e) => e.requestId === 'kept' && 'chunk' in e).map((e) => (e as { chunk: { content?: string } }).chunk.content ?? '').join('')).toBe(
      answerFor([{ role: 'user', content: 'question kept' }]).text,
    );
    expect(last).toMatchObject({ total: 2, completed: 1, failed: 0, cancelled: 1, running: 0, queued: 0 });
    expect(last!.perRequest.stopped.status).toBe('cancelled');
    expect(last!.perRequest.stopped.errors).toBe(0);
  });

  test('unsubscribing cancels every running chat', async () => {
    const before = server.requests.length;
    await lastValueFrom(streamMany$([ask(server, 'u1', 'openai', '30'), ask(server, 'u2', 'anthropic', '30')], { concurrency: 2 }).pipe(take(3), toArray()));
    const ends = await Promise.all(server.requests.slice(before).map((r) => r.closed));
    expect(ends.every((e) => e.completed === false)).toBe(true);
  });

  test('bad input errors the Observable with a ConfigError (nothing throws, no chat starts)', async () => {
    const before = server.requests.length;
    const failure = (events$: ReturnType<typeof streamMany$>) => lastValueFrom(events$).then(() => undefined, (error: unknown) => error);
    await expect(failure(streamMany$([ask(server, 'z')], { concurrency: 0 }))).resolves.toMatchObject({
      name: 'ConfigError',
      message: 'Invalid streamMany$ config: concurrency: expected a positive integer, got 0',
      issues: [{ path: 'concurrency', expected: 'a positive integer', got: '0' }],
    });
    await expect(failure(streamMany$([], { onMetrics: 'log' as never }))).resolves.toMatchObject({
      issues: [{ path: 'onMetrics', expected: 'a function (metrics) => void', got: '"log"' }],
    });
    await expect(failure(streamMany$([ask(server, 'a'), ask(server, 'a')]))).resolves.toMatchObject({
      name: 'ConfigError',
      issues: [{ path: '1.id', expected: 'an id no other request has (request 0 has it)', got: '"a"' }],
    });
    expect(server.requests.length).toBe(before);
  });
});

describe('rateLimitHint', () => {
  test.each([
    [{ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' }, { remaining: 0, resetMs: 360_000 }],
    [{ 'x-ratelimit-remaining-requests': '12', 'x-ratelimit-reset-requests': '1.5s' }, { remaining: 12, resetMs: 1500 }],
    [{ 'x-ratelimit-reset-requests': '12ms' }, { resetMs: 12 }],
    [{ 'anthropic-ratelimit-requests-remaining': '0', 'anthropic-ratelimit-requests-reset': '2026-11-25T12:00:05Z' }, { remaining: 0, resetMs: 5000 }],
    [{ 'x-ratelimit-remaining-req-minute': '3' }, { remaining: 3, resetMs: 60_000 }],
    [{ 'x-ratelimit-reset-requests': 'soon' }, {}],
    [{ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }, { tokensRemaining: 0, tokensResetMs: 360_000 }],
    [
      {
        'anthropic-ratelimit-requests-remaining': '40',
        'anthropic-ratelimit-requests-reset': '2026-11-25T12:00:01Z',
        'anthropic-ratelimit-tokens-remaining': '900',
        'anthropic-ratelimit-tokens-reset': '2026-11-25T12:00:09Z',
        'anthropic-ratelimit-output-tokens-remaining': '0',
        'anthropic-ratelimit-output-tokens-reset': '2026-11-25T12:00:03Z',
      },
      { remaining: 40, resetMs: 1000, tokensRemaining: 0, tokensResetMs: 3000 },
    ],
    [{ 'x-ratelimit-remaining-req-minute': '5', 'x-ratelimit-remaining-tokens-minute': '120' }, { remaining: 5, resetMs: 60_000, tokensRemaining: 120, tokensResetMs: 60_000 }],
  ])('%j → %j', (headers, hint) => expect(rateLimitHint(headers, Date.parse('2026-11-25T12:00:00Z'))).toEqual(hint));
});

describe('exhaustedForMs', () => {
  test.each([
    [{ remaining: 3, resetMs: 500, tokensRemaining: 10, tokensResetMs: 900 }, undefined],
    [{ remaining: 0, resetMs: 500, tokensRemaining: 10, tokensResetMs: 900 }, 500],
    [{ remaining: 3, resetMs: 500, tokensRemaining: 0, tokensResetMs: 900 }, 900],
    [{ remaining: 0, resetMs: 1500, tokensRemaining: 0, tokensResetMs: 900 }, 1500],
    [{ remaining: 0 }, 1000],
    [{ tokensRemaining: 0 }, 1000],
    [{}, undefined],
  ])('%j → %j', (hint, ms) => expect(exhaustedForMs(hint)).toBe(ms));
});
