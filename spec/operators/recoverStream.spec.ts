import fc from 'fast-check';
import { concat, from, Observable, of, throwError } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { commitBoundary } from '../../operators/commitBoundary';
import { isRepetition, trimSeam } from '../../operators/trimSeam';
import { recoverStream, trackMetrics, type ResumeAttempt, type ResumeRequest, type StreamMetrics } from '../../operators';
import { AbortError, createResponseAccumulator, HttpError, isStreamInterruptedError, StreamInterruptedError, type Chunk } from '../../lib';
import { WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';

const TEXT = 'Streams arrive in pieces. Some of them break! A good client continues.\n\nThe end is near? Yes, it is. Done.';
const words = (text: string) => text.match(/\s*\S+|\s+$/g) ?? [];
const reset = () => new StreamInterruptedError('connection reset', { provider: 'mock', retryable: true });
const chunk = (content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'mock', seq: 0, bytes: content.length, content, ...extra });

/**
 * A deterministic model: streams `text` (default `TEXT`) from where `partial` ends, in `split`'s
 * pieces (one word per chunk by default), and breaks after `breakAfter[attempt]` chunks (when given).
 * The finish chunk carries usage.
 */
function model(breakAfter: Array<number | undefined>, log: ResumeRequest[] = [], text = TEXT, split = words) {
  const stream = (start: string, attempt: number): Observable<Chunk> => {
    if (!text.startsWith(start)) throw new Error(`not a prefix: ${JSON.stringify(start)}`);
    const pieces = split(text.slice(start.length)).map((w) => chunk(w));
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

  test('property: answers full of code, YAML, lists and blank lines, streamed with white space as its own pieces, come back exactly', async () => {
    // white space as a piece of its own, as tokenizers send newlines and indentation: breaks fall right after it
    const pieces = (text: string) => text.match(/\s+|\S+/g) ?? [];
    const answers = Object.values(WHITESPACE_ANSWERS);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...answers),
        fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('exact', 'sentence', 'paragraph' as const),
        async (answer, breaks, strategy) => {
          const { first, resume } = model(breaks, [], answer, pieces);
          const { chunks, error } = await run(first.pipe(recoverStream(resume, { strategy, delay: 0, maxRetries: 3 })));
          expect(error).toBeUndefined();
          expect(chunks.map((c) => c.content ?? '').join('')).toBe(answer);
        },
      ),
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

  test('onRetry is told of each new attempt when it is decided, before the wait: a retry before content, a recovery after it', () => {
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ cold, expectObservable, flush }) => {
      const limited = new HttpError({ provider: 'mock', status: 429, body: {}, headers: {}, detail: 'slow down', retryable: true, retryAfterMs: 1000 });
      const broken = reset();
      const events: Array<{ at: number; kind: string; attempt: number; error: unknown; delayMs: number }> = [];
      const attempts = [cold<Chunk>('-a#', { a: chunk('Half') }, broken), cold('-b|', { b: chunk(' whole.', { finishReason: 'stop' }) })];
      const out = cold<Chunk>('-#', undefined, limited).pipe(
        recoverStream(() => attempts.shift()!, { scheduler, delay: 50, onRetry: (event) => events.push({ at: scheduler.now(), ...event }) }),
      );
      expectObservable(out).toBe('- 1000ms -a 50ms -b|', {
        a: { ...chunk('Half'), metadata: { retry: 1 } },
        b: { ...chunk(' whole.', { finishReason: 'stop' }), seq: 1, metadata: { recovery: 1 } },
      });
      flush();
      expect(events).toEqual([
        { at: 1, kind: 'retry', attempt: 1, error: limited, delayMs: 1000 },
        { at: 1003, kind: 'recovery', attempt: 2, error: broken, delayMs: 50 },
      ]);
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

  test('the seam drops a restart of the unfinished sentence, and nothing else', async () => {
    const first = concat(from([chunk('Light scatters. The sky is blue'), chunk(' because of')]), throwError(reset));
    const restart = from([chunk('The sky is blue because of '), chunk('Rayleigh scattering.'), chunk('', { content: undefined, finishReason: 'stop' })]);
    const { chunks } = await run(first.pipe(recoverStream(() => restart, { delay: 0 })));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('Light scatters. The sky is blue because of Rayleigh scattering.');
  });

  test('a continuation that begins with white space keeps it (indentation after a line end)', async () => {
    const first = concat(from([chunk('def f():'), chunk('\n')]), throwError(reset));
    const rest = from([chunk('    return 1'), chunk('\n', { finishReason: 'stop' })]);
    const { chunks } = await run(first.pipe(recoverStream(() => rest, { delay: 0 })));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('def f():\n    return 1\n');
  });

  test('prefill form: the white space the request trimmed is dropped where the model writes it again, no more', async () => {
    const first = concat(from([chunk('Here:'), chunk('\n\n')]), throwError(reset));
    const attempts: ResumeAttempt[] = [];
    const resume = (): ResumeAttempt => {
      const next = { chunks$: from([chunk('\n\n```py'), chunk('\nx = 1\n```', { finishReason: 'stop' })]), form: 'prefill' as const, trimmed: '\n\n' };
      attempts.push(next);
      return next;
    };
    const { chunks } = await run(first.pipe(recoverStream(resume, { delay: 0 })));
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('Here:\n\n```py\nx = 1\n```');
  });

  test('a prefill refused before its first chunk is answered by the fallback at once, not counted as a retry', async () => {
    const refused = new HttpError({ provider: 'mock', status: 400, body: {}, headers: {}, detail: 'This model does not support assistant message prefill.', retryable: false });
    const first = concat(from([chunk('Partial ')]), throwError(reset));
    const forms: string[] = [];
    const instruction: ResumeAttempt = { chunks$: from([chunk('answer.', { finishReason: 'stop' })]), form: 'instruction' };
    const resume = (): ResumeAttempt => ({
      chunks$: throwError(() => refused),
      form: 'prefill',
      trimmed: ' ',
      fallback: (error) => (forms.push((error as Error).message), instruction),
    });
    const metrics: StreamMetrics[] = [];
    const { chunks, error } = await run(first.pipe(recoverStream(resume, { delay: 0, maxRetries: 1 }), trackMetrics({ onMetrics: (m) => metrics.push(m) })));
    expect(error).toBeUndefined();
    expect(forms).toEqual([refused.message]);
    // instruction form: the white space the prefill would have trimmed is the subscriber's, and the model's text follows it as it is
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('Partial answer.');
    expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', recoveries: 1, retries: 0 });
  });

  test('checkpoint: the resumed stream replays from the checkpoint and exactly the replay is dropped', async () => {
    const first = concat(
      from([chunk('One, '), chunk('two, ', { metadata: { continuationToken: 'cp1' } }), chunk('three, '), chunk('fo')]),
      throwError(reset),
    );
    const log: ResumeRequest[] = [];
    const resume = (request: ResumeRequest): ResumeAttempt => {
      log.push(request);
      return { chunks$: from([chunk('three, fo'), chunk('ur.', { finishReason: 'stop' })]), form: 'checkpoint' };
    };
    const { chunks, error } = await run(first.pipe(recoverStream(resume, { delay: 0 })));
    expect(error).toBeUndefined();
    expect(log[0].checkpoint).toEqual({ token: 'cp1', attempt: 0 });
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('One, two, three, four.');
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });

  test("a later attempt's citation spans point into the whole answer: its own offsets moved past what came before and the seam it dropped", async () => {
    const cite = (url: string, start: number, end: number) => ({ url, span: { start, end } });
    // a continuation that restarts the unfinished sentence: the seam drops 'The sky is blue because of'
    const first = concat(from([chunk('Light scatters. The sky is blue', { citations: [cite('https://a.example/', 0, 15)] }), chunk(' because of')]), throwError(reset));
    const restart = from([
      chunk('The sky is blue because of '),
      // offsets into this attempt's own text: one in the seam the answer dropped, one after it
      chunk('Rayleigh scattering.', { citations: [cite('https://b.example/', 0, 7), cite('https://c.example/', 27, 47)], finishReason: 'stop' }),
    ]);
    const continued = assemble((await run(first.pipe(recoverStream(() => restart, { delay: 0 })))).chunks);
    expect(continued.content).toBe('Light scatters. The sky is blue because of Rayleigh scattering.');
    expect(continued.citations.map((c) => (c.span ? continued.content.slice(c.span.start, c.span.end) : c.url))).toEqual(['Light scatters.', 'https://b.example/', 'Rayleigh scattering.']);

    // a checkpoint resume replays from the checkpoint: its offsets start there
    const broken = concat(from([chunk('One, '), chunk('two, ', { metadata: { continuationToken: 'cp1' } }), chunk('three, '), chunk('fo')]), throwError(reset));
    const resumed = (): ResumeAttempt => ({ chunks$: from([chunk('three, fo'), chunk('ur.', { citations: [cite('https://d.example/', 7, 12)], finishReason: 'stop' })]), form: 'checkpoint' });
    const exact = assemble((await run(broken.pipe(recoverStream(resumed, { delay: 0 })))).chunks);
    expect(exact.citations.map((c) => exact.content.slice(c.span!.start, c.span!.end))).toEqual(['four.']);
  });

  test('checkpoint: a replay that differs fails the attempt, and the next one is offered no checkpoint', async () => {
    const first = concat(from([chunk('Alpha ', { metadata: { continuationToken: 'cp' } }), chunk('beta ')]), throwError(reset));
    const log: ResumeRequest[] = [];
    const resume = (request: ResumeRequest): Observable<Chunk> | ResumeAttempt => {
      log.push(request);
      if (request.checkpoint) return { chunks$: from([chunk('gamma '), chunk('delta.', { finishReason: 'stop' })]), form: 'checkpoint' };
      return from([chunk('delta.', { finishReason: 'stop' })]);
    };
    const { chunks, error } = await run(first.pipe(recoverStream(resume, { delay: 0 })));
    expect(error).toBeUndefined();
    expect(log.map((r) => r.checkpoint?.token)).toEqual(['cp', undefined]);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe('Alpha beta delta.');
  });

  test('two failed attempts before any content: the chunk and the metrics both say 2 retries', async () => {
    const { first, resume } = model([0, 0]);
    const metrics: StreamMetrics[] = [];
    const { chunks } = await run(first.pipe(recoverStream(resume, { delay: 0 }), trackMetrics({ onMetrics: (m) => metrics.push(m) })));
    expect(chunks[0].metadata).toEqual({ retry: 2 });
    expect(metrics[metrics.length - 1]).toMatchObject({ retries: 2, recoveries: 0 });
  });

  test('an abort is never retried, whatever `retryable` says', async () => {
    const abort = new AbortError({ provider: 'mock', reason: new Error('user left') });
    let resumed = 0;
    const { error } = await run(
      concat(of(chunk('Some')), throwError(() => abort)).pipe(recoverStream(() => (resumed++, of()), { delay: 0, retryable: () => true })),
    );
    expect(error).toBe(abort);
    expect(resumed).toBe(0);
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
    [[() => of(), { strategy: 'word' }], 'recoverStream config', 'strategy', "'exact', 'sentence' or 'paragraph'", '"word"'],
    [[() => of(), { maxRetries: -1 }], 'recoverStream config', 'maxRetries', 'a whole number ≥ 0', '-1'],
    [[() => of(), { delay: 'soon' }], 'recoverStream config', 'delay', 'a number ≥ 0 or a function (error, retryCount) => ms', '"soon"'],
    [[() => of(), { retryable: true }], 'recoverStream config', 'retryable', 'a function (error) => boolean', 'true'],
    [['resume'], 'recoverStream arguments', 'resume', 'a function ({ partial, attempt, error }) => Observable<Chunk>', '"resume"'],
  ])('bad configuration fails when the operator is created, with a ConfigError naming path, expected and got (%#)', (args, what, path, expected, got) => {
    expect(() => (recoverStream as (...a: unknown[]) => unknown)(...(args as unknown[]))).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: `Invalid ${what}: ${path}: expected ${expected}, got ${got}`, issues: [{ path, expected, got }] }),
    );
  });
});

describe('trimSeam and commitBoundary', () => {
  const seam = (delivered: string, trimmed = '') => ({ delivered, whole: true, trimmed });
  test.each([
    // the white space a prefill trimmed, written again by the model: dropped, no more
    [seam('def f():\n', '\n'), '\n    return 1', 1],
    [seam('Here:\n\n', '\n\n'), '\n```py', 1],
    [seam('Done. ', ' '), 'Next', 0],
    // instruction form: leading white space is the model's
    [seam('def f():\n'), '    return 1', 0],
    [seam('Ends with space '), '  next words', 0],
    [seam('function:\n'), '\n```python', 0],
    // a restart of the unfinished sentence or line, from its first character
    [seam('Light. The sky is blue because'), 'The sky is blue because of Rayleigh', 'The sky is blue because'.length],
    [seam('intro\n- Run the tests before you '), '- Run the tests before you push', '- Run the tests before you '.length],
    // not a restart: too short, repeats only some words, or a repetition of a unit
    [seam('It is blue'), 'It is blue and', 0],
    [seam('The sky is blue because of'), ' blue because of Rayleigh', 0],
    [seam('It was very very very very '), 'very very very very cold', 0],
    [seam('|------|------|------'), '|------|------|------|', 0],
    [seam('| Bob | 31 | Paris |\n| Bob | 31 | '), 'Paris |\n| Bob | 31 | Paris |', 0],
  ])('trimSeam(%j, %j) = %j', (context, start, expected) => expect(trimSeam(context, start, false)).toBe(expected));

  test('undecided while the continuation could still be the trimmed white space or a restart; the end decides', () => {
    expect(trimSeam(seam('a:\n\n', '\n\n'), '\n', false)).toBeUndefined();
    expect(trimSeam(seam('a:\n\n', '\n\n'), '\n', true)).toBe(1);
    expect(trimSeam(seam('Light. The sky is blue because'), 'The sky', false)).toBeUndefined();
    expect(trimSeam(seam('Light. The sky is blue because'), 'The sky', true)).toBe(0);
    // a tail that may not begin where the answer began is never taken for a whole unfinished part
    expect(trimSeam({ delivered: 'the sky is blue because', whole: false, trimmed: '' }, 'the sky is blue because of', false)).toBe(0);
  });

  test.each([
    ['very very very ', true],
    ['abcabcab', true],
    ['------', true],
    ['The sky is blue because', false],
    ['| Bob | 31 | Paris |\n| Bob | 3', false],
  ])('isRepetition(%j) = %s', (text, expected) => expect(isRepetition(text)).toBe(expected));

  test.each([
    ['One. Two', 'sentence', 5],
    ['“Quoted.” Next', 'sentence', 10],
    ['No end yet', 'sentence', 0],
    ['一。二。三', 'sentence', 4],
    ['Para one.\n\nPara two. More', 'paragraph', 11],
    ['- a\n\n    indented', 'paragraph', 9],
    ['anything', 'exact', 8],
  ])('commitBoundary(%j, %s) = %i', (text, strategy, expected) => expect(commitBoundary(text, strategy as 'exact')).toBe(expected));
});
