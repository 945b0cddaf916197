import fc from 'fast-check';
import { concat, from, Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { commitBoundary } from '../../operators/commitBoundary';
import { trimSeam } from '../../operators/trimSeam';
import { recoverStream, trackMetrics, type ResumeRequest, type StreamMetrics } from '../../operators';
import { createResponseAccumulator, HttpError, isStreamInterruptedError, StreamInterruptedError, type Chunk } from '../../lib';

const TEXT = 'Streams arrive in pieces. Some of them break! A good client continues.\n\nThe end is near? Yes, it is. Done.';
const words = (text: string) => text.match(/\s*\S+|\s+$/g) ?? [];
const reset = () => new StreamInterruptedError('connection reset', { provider: 'mock', retryable: true });
const chunk = (content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'mock', seq: 0, bytes: content.length, content, ...extra });

/**
 * A deterministic model: streams `TEXT` from where `partial` ends, one word per chunk, and breaks
 * after `breakAfter[attempt]` chunks (when given). The finish chunk carries usage.
 */
function model(breakAfter: Array<number | undefined>, log: ResumeRequest[] = []) {
  const stream = (start: string, attempt: number): Observable<Chunk> => {
    if (!TEXT.startsWith(start)) throw new Error(`not a prefix: ${JSON.stringify(start)}`);
    const pieces = words(TEXT.slice(start.length)).map((w) => chunk(w));
    const cut = breakAfter[attempt];
    if (cut !== undefined && cut < pieces.length) return concat(from(pieces.slice(0, cut)), throwError(reset));
    return from([...pieces, chunk('', { content: undefined, finishReason: 'stop', usage: { inputTokens: 10, outputTokens: pieces.length } })]);
  };
  const resume = (request: ResumeRequest) => (log.push(request), stream(request.partial.content, request.attempt));
  return { first: stream('', 0), resume };
}

const assemble = (chunks: Chunk[]) => {
  const acc = createResponseAccumulator();
  chunks.forEach((c) => acc.add(c));
  return acc.snapshot();
};

/** Runs to the end (a retry waits on a timer, even of 0 ms). */
function run(source: Observable<Chunk>): Promise<{ chunks: Chunk[]; error?: unknown; completed: boolean }> {
  return new Promise((resolve) => {
    const chunks: Chunk[] = [];
    source.subscribe({ next: (c) => chunks.push(c), error: (error) => resolve({ chunks, error, completed: false }), complete: () => resolve({ chunks, completed: true }) });
  });
}

describe('recoverStream', () => {
  test.each(['exact', 'sentence', 'paragraph'] as const)('%s: a stream broken after content continues, nothing lost, nothing repeated', async (strategy) => {
    const log: ResumeRequest[] = [];
    const { first, resume } = model([5, 4], log);
    const { chunks, error, completed } = await run(first.pipe(recoverStream(resume, { strategy, delay: 0, scheduler: undefined })));
    expect(error).toBeUndefined();
    expect(completed).toBe(true);
    expect(assemble(chunks).content).toBe(TEXT);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(log.map((r) => r.attempt)).toEqual([1, 2]);
    // what the model was asked to continue is exactly what the subscriber had
    for (const request of log) expect(TEXT.startsWith(request.partial.content)).toBe(true);
    if (strategy === 'sentence') for (const request of log) expect(request.partial.content === '' || /[.!?]\s$/.test(request.partial.content)).toBe(true);
  });

  test('property: for random break points and strategies, the answer equals the uninterrupted one and no character arrives twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 0, maxLength: 3 }), fc.constantFrom('exact', 'sentence', 'paragraph' as const), async (breaks, strategy) => {
        const { first, resume } = model(breaks);
        const { chunks, error } = await run(first.pipe(recoverStream(resume, { strategy, delay: 0, maxRetries: 3 })));
        const seen = chunks.map((c) => c.content ?? '').join('');
        expect(error).toBeUndefined();
        expect(seen).toBe(TEXT);
      }),
      { numRuns: 300 },
    );
  });

  test('before any content the same request is sent again, marked as a retry', async () => {
    const log: ResumeRequest[] = [];
    const { first, resume } = model([0], log);
    const metrics: StreamMetrics[] = [];
    const { chunks } = await run(first.pipe(recoverStream(resume, { delay: 0 }), trackMetrics({ onMetrics: (m) => metrics.push(m) })));
    expect(log).toHaveLength(1);
    expect(log[0].partial.content).toBe('');
    expect(chunks[0].metadata).toEqual({ retry: 1 });
    expect(metrics[metrics.length - 1]).toMatchObject({ retries: 1, recoveries: 0 });
  });

  test('a continuation is marked as a recovery; usage sums every attempt, each listed in metadata.attempts', async () => {
    const { first, resume } = model([3]);
    const metrics: StreamMetrics[] = [];
    const { chunks } = await run(first.pipe(recoverStream(resume, { delay: 0 }), trackMetrics({ onMetrics: (m) => metrics.push(m) })));
    expect(chunks.find((c) => c.metadata?.recovery === 1)).toBeDefined();
    expect(metrics[metrics.length - 1]).toMatchObject({ retries: 0, recoveries: 1 });
    const answer = assemble(chunks);
    // the broken attempt reported no usage; the continuation its own
    expect(answer.usage).toEqual({ inputTokens: 10, outputTokens: words(TEXT).length - 3 });
    expect(answer.metadata.attempts).toEqual([{ usage: undefined, error: 'connection reset' }, { usage: { inputTokens: 10, outputTokens: words(TEXT).length - 3 } }]);
  });

  test('retries spent: StreamInterruptedError with every cause in order and partial equal to what was received', async () => {
    const { first, resume } = model([2, 1, 1, 1]);
    const { chunks, error } = await run(first.pipe(recoverStream(resume, { delay: 0, maxRetries: 2, strategy: 'exact' })));
    expect(isStreamInterruptedError(error)).toBe(true);
    const e = error as StreamInterruptedError;
    expect(e.causes).toHaveLength(3);
    expect(e.message).toMatch(/gave up after 2 retries: connection reset/);
    expect(e.partial).toEqual(assemble(chunks));
    expect(e.retryable).toBe(false);
  });

  test('with sentence strategy the held tail is delivered before giving up, so nothing is lost', async () => {
    const { first, resume } = model([3]);
    const { chunks, error } = await run(first.pipe(recoverStream(resume, { delay: 0, maxRetries: 0, strategy: 'sentence' })));
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(chunks.map((c) => c.content).join('')).toBe(words(TEXT).slice(0, 3).join(''));
  });

  test('a failure that is not retryable (HTTP 401) passes at once, after the held text', async () => {
    const unauthorized = new HttpError({ provider: 'mock', status: 401, body: {}, headers: {}, detail: 'no', retryable: false });
    let resumed = 0;
    const { chunks, error } = await run(
      concat(of(chunk('Half a sen')), throwError(() => unauthorized)).pipe(recoverStream(() => (resumed++, of()), { strategy: 'sentence', delay: 0 })),
    );
    expect(error).toBe(unauthorized);
    expect(resumed).toBe(0);
    expect(chunks.map((c) => c.content)).toEqual(['Half a sen']);
  });

  test('retry-after is honoured (virtual time), and an unsubscribe during the wait sends nothing', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limited = new HttpError({ provider: 'mock', status: 429, body: {}, headers: {}, detail: 'slow down', retryable: true, retryAfterMs: 1000 });
      const first = cold<Chunk>('-#', undefined, limited);
      const second = cold('-a|', { a: chunk('ok', { finishReason: 'stop' }) });
      const out = first.pipe(recoverStream(() => second, { scheduler }));
      expectObservable(out).toBe('- 1000ms -a|', { a: { ...chunk('ok', { finishReason: 'stop' }), metadata: { retry: 1 } } });
      expectSubscriptions(second.subscriptions).toBe('- 1000ms ^-!');
    });
    const again = new TestScheduler((a, b) => expect(a).toEqual(b));
    again.run(({ cold, expectObservable, expectSubscriptions }) => {
      const limited = new HttpError({ provider: 'mock', status: 429, body: {}, headers: {}, detail: 'slow down', retryable: true, retryAfterMs: 1000 });
      const second = cold('-a|', { a: chunk('ok') });
      expectObservable(cold<Chunk>('-#', undefined, limited).pipe(recoverStream(() => second, { scheduler: again })), '^ 500ms !').toBe('');
      expectSubscriptions(second.subscriptions).toBe([]);
    });
  });

  test('the default backoff grows and is capped', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable }) => {
      let attempt = 0;
      const failing = () => cold<Chunk>('#', undefined, reset());
      const out = failing().pipe(recoverStream(() => (attempt++, failing()), { scheduler, maxRetries: 2, delay: (_, n) => 100 * n }));
      expectObservable(out).toBe('300ms #', undefined, expect.anything());
    });
  });

  test('the seam is cleaned: a continuation that repeats the tail of what was delivered is trimmed', async () => {
    const first = concat(from([chunk('The sky is blue'), chunk(' because of')]), throwError(reset));
    const repeat = from([chunk(' blue because of '), chunk('Rayleigh scattering.'), chunk('', { content: undefined, finishReason: 'stop' })]);
    const { chunks } = await run(first.pipe(recoverStream(() => repeat, { delay: 0 })));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('The sky is blue because of Rayleigh scattering.');
  });

  test('tool-call fragments are held until the finish: a call broken mid-JSON is asked for again whole, never repeated', async () => {
    const first = concat(
      from([chunk('Let me check.'), chunk('', { content: undefined, toolCalls: [{ index: 0, id: 'c1', name: 'f', argumentsDelta: '{"ci' }] })]),
      throwError(reset),
    );
    const second = from([
      chunk('', { content: undefined, toolCalls: [{ index: 0, id: 'c2', name: 'f', argumentsDelta: '{"city":' }] }),
      chunk('', { content: undefined, toolCalls: [{ index: 0, argumentsDelta: '"Oslo"}' }], finishReason: 'tool_calls' }),
    ]);
    const { chunks } = await run(first.pipe(recoverStream(() => second, { delay: 0 })));
    const answer = assemble(chunks);
    expect(answer.content).toBe('Let me check.');
    expect(answer.toolCalls).toEqual([{ index: 0, id: 'c2', name: 'f', arguments: { city: 'Oslo' }, argumentsText: '{"city":"Oslo"}' }]);
  });

  test('reasoning already shown is not shown again by a later attempt', async () => {
    const first = concat(from([chunk('', { content: undefined, reasoning: 'thinking...' }), chunk('Ans')]), throwError(reset));
    const second = from([chunk('', { content: undefined, reasoning: 'thinking again...' }), chunk('wer.', { finishReason: 'stop' })]);
    const { chunks } = await run(first.pipe(recoverStream(() => second, { delay: 0 })));
    expect(assemble(chunks)).toMatchObject({ reasoning: 'thinking...', content: 'Answer.' });
  });

  test.each([
    [[() => of(), { strategy: 'word' }], /strategy must be 'exact', 'sentence' or 'paragraph', got "word"/],
    [[() => of(), { maxRetries: -1 }], /maxRetries must be a whole number ≥ 0, got -1/],
    [[() => of(), { delay: 'soon' }], /delay must be a number of ms ≥ 0 or a function/],
    [['resume'], /pass resume/],
  ])('bad configuration fails when the operator is created (%#)', (args, message) => {
    expect(() => (recoverStream as (...a: unknown[]) => unknown)(...(args as unknown[]))).toThrow(message);
  });
});

describe('trimSeam and commitBoundary', () => {
  test.each([
    ['The sky is blue because of', ' blue because of Rayleigh', ' blue because of'.length],
    ['The sky is blue because of ', ' blue because of Rayleigh', ' blue because of '.length],
    ['Ends with space ', '  next words', 2],
    ['No overlap here', ' and more', 0],
    ['short tail of', ' of the', 0],
  ])('trimSeam(%j, %j) = %i', (delivered, start, expected) => expect(trimSeam(delivered, start)).toBe(expected));
  test.each([
    ['One. Two', 'sentence', 5],
    ['“Quoted.” Next', 'sentence', 10],
    ['No end yet', 'sentence', 0],
    ['Para one.\n\nPara two. More', 'paragraph', 11],
    ['anything', 'exact', 8],
  ])('commitBoundary(%j, %s) = %i', (text, strategy, expected) => expect(commitBoundary(text, strategy as 'exact')).toBe(expected));
});
