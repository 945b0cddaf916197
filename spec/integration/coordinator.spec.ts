import { lastValueFrom, Subject, take, toArray } from 'rxjs';
import { isChunkValidationError, isConfigError, streamChat$, toResponse, type StreamMetrics } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const user = (content: string) => [{ role: 'user' as const, content }];

describe('the coordinator through streamChat$, on the mock server', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  const baseURL = () => mockBaseURL(server, 'openai');

  test('metrics count what was sent: chunks, wire bytes, time to first chunk; a final value on completion', async () => {
    const prompt = 'measure me';
    const seen: StreamMetrics[] = [];
    const metrics$ = new Subject<StreamMetrics>();
    const fromSubject: StreamMetrics[] = [];
    metrics$.subscribe((m) => fromSubject.push(m));
    const before = server.requests.length;
    await lastValueFrom(
      streamChat$('openai', user(prompt), {
        baseURL: baseURL(),
        headers: { 'x-mock-chunk-delay-ms': '5', 'x-mock-first-chunk-delay-ms': '120' },
        onMetrics: (m) => seen.push(m),
        metrics$,
        trackMetrics: { intervalMs: 50 },
      }),
    );
    const end = await server.requests[before].closed;
    const last = seen[seen.length - 1];
    const answer = answerFor(user(prompt));
    expect(last.status).toBe('completed');
    // one chunk per token, the finish chunk and the usage chunk (the role-only first delta carries nothing)
    expect(last.chunksReceived).toBe(tokenize(answer.text).length + 2);
    // every byte the server wrote, but the final `data: [DONE]` line read after the last chunk
    expect(last.bytesReceived).toBe(end.bytesWritten - Buffer.byteLength('data: [DONE]\n\n'));
    expect(last.timeToFirstChunkMs).toBeGreaterThanOrEqual(115);
    expect(last.durationMs).toBeGreaterThanOrEqual(last.timeToFirstChunkMs!);
    expect(last.outputTokensEstimated).toBe(false);
    expect(last.provider).toBe('openai');
    expect(seen.filter((m) => m.status === 'streaming').length).toBeGreaterThanOrEqual(2);
    expect(fromSubject).toEqual(seen);
  });

  test('a final metrics value with status error on an HTTP error, and cancelled on unsubscribe', async () => {
    const errors: StreamMetrics[] = [];
    await collect(streamChat$('openai', user('x'), { baseURL: `${server.url}/nowhere`, onMetrics: (m) => errors.push(m) }));
    // nothing streamed, so the only value is the final one
    expect(errors.map((m) => m.status)).toEqual(['error']);
    expect(errors[0].errors).toBe(1);

    const cancelled: StreamMetrics[] = [];
    await lastValueFrom(
      streamChat$('openai', user('cancel me'), { baseURL: baseURL(), headers: { 'x-mock-chunk-delay-ms': '10' }, onMetrics: (m) => cancelled.push(m) }).pipe(take(3), toArray()),
    );
    expect(cancelled[cancelled.length - 1]).toMatchObject({ status: 'cancelled', chunksReceived: 3 });
  });

  test('validate, transform and buffer options assemble the same answer, in their fixed order', async () => {
    const prompt = 'coordinate';
    const plain = await lastValueFrom(streamChat$('openai', user(prompt), { baseURL: baseURL() }).pipe(toResponse()));
    const seenByValidator: string[] = [];
    const chunks = await lastValueFrom(
      streamChat$('openai', user(prompt), {
        baseURL: baseURL(),
        validateChunk: (c) => (seenByValidator.push(c.content ?? ''), true),
        transformChunk: (c) => (c.content ? { ...c, content: c.content.toUpperCase() } : c),
        bufferChunks: 5,
      }).pipe(toArray()),
    );
    // the validator saw the provider's chunks before the transform
    expect(seenByValidator.join('')).toBe(plain.content);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(plain.content.toUpperCase());
    expect(chunks.length).toBe(Math.ceil((tokenize(plain.content).length + 2) / 5));
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });

  test("validateChunk 'error' ends the stream with ChunkValidationError and the partial answer; onError hears it once", async () => {
    const heard: unknown[] = [];
    const { chunks, error } = await collect(
      streamChat$('openai', user('validate'), { baseURL: baseURL(), validateChunk: (c) => c.seq < 3 || 'too long', onError: (e) => heard.push(e) }),
    );
    expect(chunks).toHaveLength(3);
    expect(isChunkValidationError(error)).toBe(true);
    expect((error as { partial: { content: string } }).partial.content).toBe(chunks.map((c) => c.content).join(''));
    expect(heard).toEqual([error]);
  });

  test.each([
    [{ bufferChunks: {} }, /bufferChunks: expected a valid setting \(pass a size, maxWaitMs or adaptive/],
    [{ bufferChunks: 0 }, /bufferChunks: expected .*got 0/],
    [{ validateChunk: { onInvalid: 'drop' } }, /validateChunk/],
    [{ transformChunk: 'upper' }, /transformChunk: expected a function, got "upper"/],
    [{ trackMetrics: { intervalMs: -1 }, onMetrics: () => undefined }, /trackMetrics/],
  ])('a bad coordinator option %j is a ConfigError, before any request', async (options, message) => {
    const before = server.requests.length;
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), ...(options as object) }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });
});
