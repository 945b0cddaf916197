import { lastValueFrom, of, Subject, take, toArray } from 'rxjs';
import {
  bufferChunks,
  isChunkValidationError,
  isConfigError,
  recoverStream,
  streamChat$,
  toResponse,
  trackMetrics,
  transformChunk,
  validateChunk,
  type Chunk,
  type ConfigError,
  type RetryEvent,
  type StreamMetrics,
  type Telemetry,
  type TelemetryOutcome,
  type TelemetryRequest,
} from '../../lib';
import { issuesUnder } from '../../lib/codec/reportErrors';
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
    [{ bufferChunks: {} }, /bufferChunks: expected a whole number ≥ 1 or a size, maxWaitMs or adaptive: \{ targetPerSecond \} \(else the chunks would wait for the end\), got \{\}/],
    [{ bufferChunks: 0 }, /bufferChunks: expected .*got 0/],
    [{ validateChunk: { onInvalid: 'drop' } }, /validateChunk/],
    [{ transformChunk: 'upper' }, /transformChunk: expected a function \(chunk\) => Chunk \| null, got "upper"/],
    [{ trackMetrics: { intervalMs: -1 }, onMetrics: () => undefined }, /trackMetrics/],
    [{ telemetry: { begin: () => undefined } }, /telemetry\.start: expected a function \(request\) => TelemetryRun, got undefined/],
  ])('a bad coordinator option %j is a ConfigError, before any request', async (options, message) => {
    const before = server.requests.length;
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), ...(options as object) }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });

  // one description per configuration: the option is the operator's codec, so streamChat$ reports
  // exactly the operator's issue, under the option's path
  const resume = () => of<Chunk>();
  const validate = () => true;
  const onMetrics = (): void => undefined;
  test.each<[string, object, () => unknown]>([
    ['bufferChunks', { bufferChunks: { size: 0 } }, () => bufferChunks({ size: 0 })],
    ['bufferChunks', { bufferChunks: { maxWaitMs: 5, adaptive: { targetPerSecond: -1 } } }, () => bufferChunks({ maxWaitMs: 5, adaptive: { targetPerSecond: -1 } })],
    ['trackMetrics', { trackMetrics: { intervalMs: 0 }, onMetrics }, () => trackMetrics({ intervalMs: 0, onMetrics })],
    ['trackMetrics', { trackMetrics: { custom: { n: 1 } }, onMetrics }, () => trackMetrics({ custom: { n: 1 as never }, onMetrics })],
    ['trackMetrics', { trackMetrics: { prices: { openai: { 'gpt-5*': { input: -1, output: 10 } } } }, onMetrics }, () => trackMetrics({ prices: { openai: { 'gpt-5*': { input: -1, output: 10 } } }, onMetrics })],
    ['trackMetrics', { trackMetrics: { prices: { openai: { 'gpt-5*': { input: 1, output: '10' } } } }, onMetrics }, () => trackMetrics({ prices: { openai: { 'gpt-5*': { input: 1, output: '10' as never } } }, onMetrics })],
    ['validateChunk', { validateChunk: { validate, onInvalid: 'ignore' } }, () => validateChunk(validate, { onInvalid: 'ignore' as never })],
    ['recovery', { recovery: { maxRetries: -1 } }, () => recoverStream(resume, { maxRetries: -1 })],
    ['recovery', { recovery: { strategy: 'word' } }, () => recoverStream(resume, { strategy: 'word' as never })],
    ['recovery', { recovery: { delay: 'soon' } }, () => recoverStream(resume, { delay: 'soon' as never })],
  ])("streamChat$ reports the %s operator's own issue under the option's path: %j", async (option, options, make) => {
    const operatorError = thrown(make);
    expect(isConfigError(operatorError)).toBe(true);
    const before = server.requests.length;
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), ...options }));
    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual(issuesUnder(option, (operatorError as ConfigError).issues));
    expect(server.requests.length).toBe(before);
  });

  // (the validateChunk option also takes the object form, which its `expected` names too)
  test.each<[string, object, () => unknown, string]>([
    ['transformChunk', { transformChunk: 'upper' }, () => transformChunk('upper' as never), ''],
    ['validateChunk', { validateChunk: 42 }, () => validateChunk(42 as never), ' or { validate, onInvalid? }'],
    ['validateChunk.validate', { validateChunk: { onInvalid: 'drop' } }, () => validateChunk(undefined as never), ''],
    ['recovery.retryable', { recovery: { retryable: true } }, () => recoverStream(resume, { retryable: true as never }), ''],
    ['onMetrics', { onMetrics: 'log' }, () => trackMetrics({ onMetrics: 'log' as never }), ''],
  ])('a function-valued option %s that is not a function is refused in the same form as by the operator', async (path, options, make, otherForm) => {
    const [operatorIssue] = (thrown(make) as ConfigError).issues;
    const expected = operatorIssue.expected + otherForm;
    const { error } = await collect(streamChat$('openai', user('x'), { baseURL: baseURL(), ...options }));
    expect((error as ConfigError).issues).toEqual([{ path, expected, got: operatorIssue.got }]);
    expect((error as Error).message).toBe(`Invalid options: ${path}: expected ${expected}, got ${operatorIssue.got}`);
  });

  describe('telemetry: an observer of each run', () => {
    /** A Telemetry that writes down what it is told. */
    const recorder = () => {
      const log = { started: [] as TelemetryRequest[], chunks: [] as Chunk[], attempts: [] as RetryEvent[], ended: [] as TelemetryOutcome[], within: 0 };
      const telemetry: Telemetry = {
        start: (request) => {
          log.started.push(request);
          return {
            within: (subscribe) => (log.within++, subscribe()),
            chunk: (chunk) => log.chunks.push(chunk),
            attempt: (event) => log.attempts.push(event),
            end: (outcome) => log.ended.push(outcome),
          };
        },
      };
      return { log, telemetry };
    };

    test('told the request (no header, no query), each chunk delivered, each attempt beside the option’s own onRetry, and the end once', async () => {
      const { log, telemetry } = recorder();
      const own: RetryEvent[] = [];
      server.queueFaults({ kind: 'status', status: 503, retryAfter: '0' }, null);
      const chunks = await lastValueFrom(
        streamChat$('openai', user('observe me'), {
          baseURL: `${baseURL()}`,
          apiKey: 'sk-observed',
          temperature: 0.2,
          bufferChunks: 2,
          telemetry,
          recovery: { delay: 0, onRetry: (event) => own.push(event) },
        }).pipe(toArray()),
      );
      server.clearFaults();
      expect(log.started).toEqual([
        { provider: 'openai', model: expect.any(String), url: `${baseURL()}/chat/completions`, parameters: { temperature: 0.2 }, messages: user('observe me'), tools: [], output: false },
      ]);
      expect(JSON.stringify(log.started)).not.toContain('sk-observed');
      // what the subscriber received (after bufferChunks), no more
      expect(log.chunks).toEqual(chunks);
      expect(log.attempts).toEqual([{ kind: 'retry', attempt: 1, error: expect.objectContaining({ status: 503 }), delayMs: 0 }]);
      expect(own).toEqual(log.attempts);
      expect(log.within).toBe(1);
      expect(log.ended).toEqual([{ status: 'completed' }]);
    });

    test('each subscription is its own run; an error and an unsubscribe end it once each', async () => {
      const { log, telemetry } = recorder();
      const chat$ = streamChat$('openai', user('twice'), { baseURL: baseURL(), telemetry });
      server.queueFaults({ kind: 'status', status: 500 });
      const failed = await collect(chat$);
      server.clearFaults();
      await lastValueFrom(chat$.pipe(take(1)));
      expect(log.started).toHaveLength(2);
      expect(log.ended).toEqual([{ status: 'error', error: failed.error }, { status: 'cancelled' }]);
    });
  });
});

function thrown(make: () => unknown): unknown {
  try {
    make();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
