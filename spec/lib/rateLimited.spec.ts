import { messageText } from '../../lib/messageText';
import { lastValueFrom, Observable, throwError, toArray } from 'rxjs';
import { isAbortError, isConfigError, streamChat$, streamMany$, type AbortError, type ChatMessage, type ManyRequest, type RateLimiter, type RateLimitRequest, type ResponseInfo, type Usage } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

/**
 * An in-memory limiter whose `acquire` waits until the test opens the gate (or, with `holdMs`,
 * until its own timer fires), and that records every call it gets.
 */
class GateLimiter implements RateLimiter {
  acquired: RateLimitRequest[] = [];
  /** how many acquires wait right now */
  waiting = 0;
  /** acquires unsubscribed before the gate opened */
  cancelled = 0;
  /** `holdMs` timers set and not yet fired or cleared */
  liveTimers = 0;
  responses: Array<{ request: RateLimitRequest; info: ResponseInfo }> = [];
  usages: Array<{ request: RateLimitRequest; usage: Usage }> = [];
  /** what happened, in order */
  log: string[] = [];
  private waiters = new Set<() => void>();

  constructor(private readonly options: { open?: boolean; holdMs?: number; onAcquire?: () => void; onAdmit?: () => void } = {}) {}

  acquire(request: RateLimitRequest) {
    this.acquired.push(request);
    this.log.push('acquire');
    this.options.onAcquire?.();
    return new Observable<void>((subscriber) => {
      const admit = () => {
        this.waiting--;
        this.waiters.delete(admit);
        this.options.onAdmit?.();
        subscriber.next();
        subscriber.complete();
      };
      this.waiting++;
      if (this.options.open) return void admit();
      this.waiters.add(admit);
      let timer: ReturnType<typeof setTimeout> | undefined;
      if (this.options.holdMs !== undefined) {
        this.liveTimers++;
        timer = setTimeout(() => {
          this.liveTimers--;
          timer = undefined;
          admit();
        }, this.options.holdMs);
      }
      return () => {
        if (timer !== undefined) {
          clearTimeout(timer);
          this.liveTimers--;
        }
        if (this.waiters.delete(admit)) {
          this.waiting--;
          this.cancelled++;
        }
      };
    });
  }

  onResponse(request: RateLimitRequest, info: ResponseInfo) {
    this.log.push(`response ${info.status}`);
    this.responses.push({ request, info });
  }

  onUsage(request: RateLimitRequest, usage: Usage) {
    this.log.push('usage');
    this.usages.push({ request, usage });
  }

  /** admits every waiting acquire */
  open() {
    for (const admit of [...this.waiters]) admit();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, what: string) {
  for (let i = 0; i < 500 && !condition(); i++) await sleep(10);
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
}

const question = (content: string): ChatMessage[] => [{ role: 'user', content }];
const answerText = (messages: ChatMessage[]) => answerFor(messages.map((m) => ({ role: m.role, content: messageText(m) }))).text;

describe('the rateLimiter option', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const options = (rateLimiter: unknown, extra: object = {}) => ({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'k-limit', rateLimiter: rateLimiter as RateLimiter, ...extra });

  test('the request is not sent before acquire allows it', async () => {
    const limiter = new GateLimiter();
    const messages = question('wait for the gate');
    const before = server.requests.length;
    const result = collect(streamChat$('openai', messages, options(limiter)));
    await waitUntil(() => limiter.waiting === 1, 'acquire waits');
    await sleep(100);
    expect(server.requests.length).toBe(before);
    limiter.open();
    const { chunks, error } = await result;
    expect(error).toBeUndefined();
    expect(server.requests.length).toBe(before + 1);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerText(messages));
    expect(limiter.acquired).toEqual([{ provider: 'openai' }]);
  });

  test('acquire may return a Promise: the request starts when it resolves', async () => {
    const messages = question('a promise gate');
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const before = server.requests.length;
    const result = collect(streamChat$('openai', messages, options({ acquire: () => gate })));
    await sleep(50);
    expect(server.requests.length).toBe(before);
    release();
    const { chunks, error } = await result;
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerText(messages));
  });

  test("an abort of the caller's signal while acquire waits ends the wait with AbortError (its reason kept) and sends nothing", async () => {
    const limiter = new GateLimiter({ holdMs: 60_000 });
    const before = server.requests.length;
    const controller = new AbortController();
    const result = collect(streamChat$('openai', question('aborted in the queue'), options(limiter, { signal: controller.signal })));
    await waitUntil(() => limiter.waiting === 1, 'acquire waits');
    const reason = new Error('user left');
    controller.abort(reason);
    const { chunks, error } = await result;
    expect(isAbortError(error)).toBe(true);
    expect((error as AbortError).reason).toBe(reason);
    expect(chunks).toEqual([]);
    expect(limiter.cancelled).toBe(1);
    expect(limiter.waiting).toBe(0);
    expect(limiter.liveTimers).toBe(0);
    await sleep(50);
    expect(server.requests.length).toBe(before);
  });

  test('a signal aborted before the subscription fails with AbortError without asking the limiter', async () => {
    const limiter = new GateLimiter({ open: true });
    const controller = new AbortController();
    controller.abort();
    const before = server.requests.length;
    const { error } = await collect(streamChat$('openai', question('never asked'), options(limiter, { signal: controller.signal })));
    expect(isAbortError(error)).toBe(true);
    expect(limiter.acquired).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  test('a signal that never aborts leaves an admitted request alone', async () => {
    const limiter = new GateLimiter({ open: true });
    const messages = question('admitted with a signal');
    const { chunks, error } = await collect(streamChat$('openai', messages, options(limiter, { signal: new AbortController().signal })));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerText(messages));
    expect(limiter.acquired).toHaveLength(1);
  });

  test('unsubscribing while acquire waits sends nothing and leaves no timer', async () => {
    const limiter = new GateLimiter({ holdMs: 60_000 });
    const before = server.requests.length;
    const subscription = streamChat$('openai', question('never sent'), options(limiter)).subscribe();
    await waitUntil(() => limiter.waiting === 1, 'acquire waits');
    await sleep(100);
    expect(server.requests.length).toBe(before);
    expect(limiter.liveTimers).toBe(1);
    subscription.unsubscribe();
    expect(limiter.cancelled).toBe(1);
    expect(limiter.waiting).toBe(0);
    expect(limiter.liveTimers).toBe(0);
    await sleep(50);
    expect(server.requests.length).toBe(before);
    expect(limiter.responses).toEqual([]);
    expect(limiter.usages).toEqual([]);
  });

  test('onResponse gets the status and the rate-limit headers; the chat’s own onResponse still runs', async () => {
    const replay = await startReplayServer();
    const body = Buffer.from(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`);
    replay.respondWith({ body, headers: { 'x-ratelimit-remaining-requests': '41', 'x-ratelimit-reset-requests': '1.5s' } });
    const limiter = new GateLimiter({ open: true });
    const own: ResponseInfo[] = [];
    const { error } = await collect(streamChat$('openai', question('headers'), { baseURL: replay.url, apiKey: 'k-limit', rateLimiter: limiter, onResponse: (info) => own.push(info) }));
    await replay.close();
    expect(error).toBeUndefined();
    expect(limiter.responses).toHaveLength(1);
    expect(limiter.responses[0].request).toEqual({ provider: 'openai' });
    expect(limiter.responses[0].info.status).toBe(200);
    expect(limiter.responses[0].info.headers).toMatchObject({ 'x-ratelimit-remaining-requests': '41', 'x-ratelimit-reset-requests': '1.5s' });
    expect(own).toEqual([limiter.responses[0].info]);
  });

  test('onUsage gets the usage the answer reported, once, after the response', async () => {
    const limiter = new GateLimiter({ open: true });
    const { chunks, error } = await collect(streamChat$('openai', question('count my tokens'), options(limiter)));
    expect(error).toBeUndefined();
    const reported = chunks.filter((c) => c.usage).map((c) => c.usage);
    expect(reported).toHaveLength(1);
    expect(reported[0]!.outputTokens).toBeGreaterThan(0);
    expect(limiter.usages).toEqual([{ request: { provider: 'openai' }, usage: reported[0] }]);
    expect(limiter.log).toEqual(['acquire', 'response 200', 'usage']);
  });

  test('every recovery attempt acquires again, before its request is sent', async () => {
    const messages = question('recover behind the limiter, and tell me a little more about it');
    // attempt 1: a 503; attempt 2: cut after some content (a continuation follows); attempt 3: clean
    server.queueFaults({ kind: 'status', status: 503 }, { kind: 'reset', afterBytes: 400 }, null);
    const sentAtAcquire: number[] = [];
    const sentAtAdmit: number[] = [];
    const before = server.requests.length;
    const limiter = new GateLimiter({
      holdMs: 30,
      onAcquire: () => sentAtAcquire.push(server.requests.length - before),
      onAdmit: () => sentAtAdmit.push(server.requests.length - before),
    });
    const { chunks, error } = await collect(streamChat$('openai', messages, options(limiter, { streamRecovery: true, recovery: { delay: 0 } })));
    server.clearFaults();
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerText(messages));
    expect(server.requests.length - before).toBe(3);
    expect(sentAtAcquire).toEqual([0, 1, 2]);
    expect(sentAtAdmit).toEqual([0, 1, 2]);
    expect(limiter.log.filter((e) => e.startsWith('acquire') || e.startsWith('response'))).toEqual(['acquire', 'response 503', 'acquire', 'response 200', 'acquire', 'response 200']);
  });

  test('an acquire error ends the stream with that error, and nothing is sent', async () => {
    const before = server.requests.length;
    const failure = new Error('the limiter is down');
    const fromObservable = await collect(streamChat$('openai', question('x'), options({ acquire: () => throwError(() => failure) })));
    expect(fromObservable).toEqual({ chunks: [], error: failure });
    const fromPromise = await collect(streamChat$('openai', question('x'), options({ acquire: () => Promise.reject(failure) })));
    expect(fromPromise).toEqual({ chunks: [], error: failure });
    expect(server.requests.length).toBe(before);
  });

  test.each([
    ['a number', 5],
    ['an object without acquire', { onResponse: () => undefined }],
  ])('rateLimiter as %s is a ConfigError naming rateLimiter, and nothing is sent', async (_, value) => {
    const before = server.requests.length;
    const { chunks, error } = await collect(streamChat$('openai', question('x'), options(value)));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(/rateLimiter/);
    expect(chunks).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  test("streamMany$'s rateLimiter gates each chat (also one whose rateLimiter is an explicit undefined); a chat's own rateLimiter wins", async () => {
    const shared = new GateLimiter({ open: true });
    const own = new GateLimiter({ open: true });
    const requests: ManyRequest[] = ['m1', 'm2', 'm3'].map((id) => ({
      id,
      provider: id === 'm2' ? 'anthropic' : 'openai',
      messages: question(`many ${id}`),
      options: { baseURL: mockBaseURL(server, id === 'm2' ? 'anthropic' : 'openai'), apiKey: 'k-many', ...(id === 'm3' ? { rateLimiter: own } : id === 'm1' ? { rateLimiter: undefined } : {}) },
    }));
    const events = await lastValueFrom(streamMany$(requests, { concurrency: 3, rateLimiter: shared }).pipe(toArray()));
    expect(events.filter((e) => 'error' in e)).toEqual([]);
    expect(shared.acquired.map((r) => r.provider).sort()).toEqual(['anthropic', 'openai']);
    expect(own.acquired).toEqual([{ provider: 'openai' }]);
    expect(shared.usages).toHaveLength(2);
    expect(own.usages).toHaveLength(1);
  });
});
