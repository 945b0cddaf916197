import { lastValueFrom } from 'rxjs';
import { isAbortError, isStreamInterruptedError, streamChat$, type AbortError, type Chunk, type StreamMetrics } from '../../lib';
import { startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const user = (content: string) => [{ role: 'user' as const, content }];

/** An abort through the caller's `signal` ends the stream with an AbortError: not a failure, never retried. */
describe("an abort through the caller's signal", () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  const baseURL = () => `${server.url}/v1`;
  const slow = { 'x-mock-chunk-delay-ms': '30' };

  /** subscribes, aborts the signal (with `reason`, if given) once `after` chunks arrived, and gathers what came */
  const abortAfter = (after: number, reason: unknown[], options: Record<string, unknown> = {}) =>
    new Promise<{ chunks: Chunk[]; error?: unknown }>((resolve) => {
      const controller = new AbortController();
      const chunks: Chunk[] = [];
      streamChat$('openai', user('abort me please'), { baseURL: baseURL(), apiKey: 'k-abort', signal: controller.signal, headers: slow, ...options }).subscribe({
        next: (chunk) => {
          chunks.push(chunk);
          if (chunks.length === after) controller.abort(...reason);
        },
        error: (error) => resolve({ chunks, error }),
        complete: () => resolve({ chunks }),
      });
    });

  test('already aborted before the subscription: AbortError with the given reason, and no request is sent', async () => {
    const before = server.requests.length;
    const controller = new AbortController();
    const reason = new Error('user left');
    controller.abort(reason);
    const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), apiKey: 'k-abort', signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect((error as AbortError).reason).toBe(reason);
    expect((error as AbortError).cause).toBe(reason);
    expect((error as AbortError).retryable).toBe(false);
    expect((error as Error).message).toBe("openai: aborted by the caller's signal (reason: Error)");
    expect(chunks).toEqual([]);
    expect(server.requests.length).toBe(before);
  });

  test('mid-stream with controller.abort(): AbortError whose reason is the DOMException named AbortError; the socket is closed on the server side', async () => {
    const before = server.requests.length;
    const { chunks, error } = await abortAfter(2, []);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).name).toBe('AbortError');
    const reason = (error as AbortError).reason as DOMException;
    expect(reason).toBeInstanceOf(DOMException);
    expect(reason.name).toBe('AbortError');
    expect(chunks).toHaveLength(2);
    // the answer received before the abort is on the error, as for any mid-stream end
    expect((error as AbortError).partial?.content).toBe(chunks.map((c) => c.content ?? '').join(''));
    expect((await server.requests[before].closed).completed).toBe(false);
    await waitFor(() => server.openConnections() === 0);
    expect(server.openConnections()).toBe(0);
  });

  test("mid-stream with controller.abort(new Error('user left')): AbortError with that reason", async () => {
    const reason = new Error('user left');
    const { error } = await abortAfter(1, [reason]);
    expect(isAbortError(error)).toBe(true);
    expect((error as AbortError).reason).toBe(reason);
    expect((error as Error).message).not.toContain('user left');
  });

  test('metrics end with status cancelled and errors 0', async () => {
    const metrics: StreamMetrics[] = [];
    const { error } = await abortAfter(2, [], { onMetrics: (m: StreamMetrics) => metrics.push(m), trackMetrics: { intervalMs: 10_000 } });
    expect(isAbortError(error)).toBe(true);
    const last = metrics[metrics.length - 1];
    expect(last.status).toBe('cancelled');
    expect(last.errors).toBe(0);
    expect(last.chunksReceived).toBe(2);
    expect(metrics.filter((m) => m.status !== 'streaming')).toHaveLength(1);
  });

  test('with streamRecovery: true the AbortError reaches the subscriber as it is, and no second request is sent', async () => {
    const before = server.requests.length;
    const { error } = await abortAfter(2, [new Error('user left')], { streamRecovery: true, recovery: { delay: 0, maxRetries: 3 } });
    // a retry would have been sent at once (delay 0), and would have ended in "gave up after … retries"
    expect(isStreamInterruptedError(error)).toBe(false);
    expect(isAbortError(error)).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(server.requests.length).toBe(before + 1);
  });

  test('an abort during a recovery backoff wait ends the stream at once, with no further request', async () => {
    const before = server.requests.length;
    server.queueFaults({ kind: 'status', status: 503 });
    const controller = new AbortController();
    const stream = collect(
      streamChat$('openai', user('abort while waiting'), { baseURL: baseURL(), apiKey: 'k-abort', signal: controller.signal, streamRecovery: true, recovery: { delay: 60_000 } }),
    );
    // the 503 has been answered: recovery now waits a minute before its retry
    while (server.requests.length === before) await new Promise((r) => setTimeout(r, 5));
    await server.requests[before].closed;
    await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('user left'));
    const { error } = await stream;
    server.clearFaults();
    expect(isAbortError(error)).toBe(true);
    expect((error as AbortError).reason).toEqual(new Error('user left'));
    expect(server.requests.length).toBe(before + 1);
  });

  test('a stream that completes takes its listener off the signal', async () => {
    const controller = new AbortController();
    const listeners: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, listener: never, options?: never) => (listeners.push(`+${type}`), add(type, listener, options))) as never;
    signal.removeEventListener = ((type: string, listener: never, options?: never) => (listeners.push(`-${type}`), remove(type, listener, options))) as never;
    const answer = await lastValueFrom(streamChat$('openai', user('complete'), { baseURL: baseURL(), apiKey: 'k-abort', signal }), { defaultValue: undefined });
    expect(answer).toBeDefined();
    expect(listeners).toContain('+abort');
    expect(listeners.filter((l) => l === '+abort').length).toBe(listeners.filter((l) => l === '-abort').length);
  });
});

async function waitFor(condition: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}
