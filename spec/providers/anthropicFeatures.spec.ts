import type { ConfigError } from '../../lib/errors/configError';
import { from, lastValueFrom, Observable, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import {
  createResponseAccumulator,
  isConfigError,
  isQualityError,
  streamChat$,
  type ChatMessage,
  type Chunk,
} from '../../lib';
import {
  annotateReasoning,
  anthropic,
  createRepetitionDetector,
  validateQuality,
  type QualityReport,
} from '../../providers/anthropic';
import { answerFor, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const base = { provider: 'anthropic', bytes: 10, id: 'msg_1', model: 'claude' } as const;
const r = (seq: number, reasoning: string): Chunk => ({ ...base, seq, reasoning });
const t = (seq: number, content: string): Chunk => ({ ...base, seq, content });
const sig = (seq: number, signature: string): Chunk => ({ ...base, seq, metadata: { thinkingSignature: signature } });
const fin = (seq: number, finishReason: Chunk['finishReason'] = 'stop', raw = 'end_turn'): Chunk => ({ ...base, seq, finishReason, metadata: { rawFinishReason: raw } });
const tool = (seq: number): Chunk => ({ ...base, seq, toolCalls: [{ index: 0, id: 'toolu_1', name: 'get_weather' }] });
const marker = (seq: number, annotation: string, block: number, signature?: string): Chunk => ({
  provider: 'anthropic',
  id: 'msg_1',
  model: 'claude',
  seq,
  bytes: 0,
  metadata: signature === undefined ? { annotation, reasoningBlock: block } : { annotation, reasoningBlock: block, thinkingSignature: signature },
});
const marked = (chunk: Chunk, seq: number, block: number): Chunk => ({ ...chunk, seq, metadata: { ...chunk.metadata, annotation: 'reasoning', reasoningBlock: block } });
const renumbered = (chunk: Chunk, seq: number): Chunk => ({ ...chunk, seq });

describe('annotateReasoning (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('a thinking block is framed: start before its first delta, end (with the signature) before the text', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a----b----c----d----e----|', { a: r(0, 'Let me'), b: r(1, ' think.'), c: sig(2, 'SIG1'), d: t(3, 'Hello'), e: fin(4) });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sa)-b----c----(Ed)-e----|', {
        S: marker(0, 'reasoning-start', 0),
        a: marked(r(0, 'Let me'), 1, 0),
        b: marked(r(1, ' think.'), 2, 0),
        c: renumbered(sig(2, 'SIG1'), 3),
        E: marker(4, 'reasoning-end', 0, 'SIG1'),
        d: renumbered(t(3, 'Hello'), 5),
        e: renumbered(fin(4), 6),
      });
    });
  });

  test('a tool call after the thinking ends the block too', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a----c----d----|', { a: r(0, 'Call it.'), c: sig(1, 'S'), d: tool(2) });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sa)-c----(Ed)-|', {
        S: marker(0, 'reasoning-start', 0),
        a: marked(r(0, 'Call it.'), 1, 0),
        c: renumbered(sig(1, 'S'), 2),
        E: marker(3, 'reasoning-end', 0, 'S'),
        d: renumbered(tool(2), 4),
      });
    });
  });

  test('two blocks in a row: reasoning after a signature opens the next block', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-----b-----c-----d-----e-----|', { a: r(0, 'one'), b: sig(1, 'S1'), c: r(2, 'two'), d: sig(3, 'S2'), e: t(4, 'Hi') });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sa)--b-----(ETc)-d-----(Fe)--|', {
        S: marker(0, 'reasoning-start', 0),
        a: marked(r(0, 'one'), 1, 0),
        b: renumbered(sig(1, 'S1'), 2),
        E: marker(3, 'reasoning-end', 0, 'S1'),
        T: marker(4, 'reasoning-start', 1),
        c: marked(r(2, 'two'), 5, 1),
        d: renumbered(sig(3, 'S2'), 6),
        F: marker(7, 'reasoning-end', 1, 'S2'),
        e: renumbered(t(4, 'Hi'), 8),
      });
    });
  });

  test("a block with a signature and no text (display: 'omitted') is framed", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-b----d----|', { b: sig(0, 'S'), d: t(1, 'Hi') });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sb)-(Ed)-|', {
        S: marker(0, 'reasoning-start', 0),
        b: renumbered(sig(0, 'S'), 1),
        E: marker(2, 'reasoning-end', 0, 'S'),
        d: renumbered(t(1, 'Hi'), 3),
      });
    });
  });

  test('a stream that completes inside a block gets its end marker at completion (no signature: none in it)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a----|', { a: r(0, 'hmm') });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sa)-(E|)', {
        S: marker(0, 'reasoning-start', 0),
        a: marked(r(0, 'hmm'), 1, 0),
        E: marker(2, 'reasoning-end', 0),
      });
    });
  });

  test('a coalesced chunk with reasoning and text ends the block after it', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const both: Chunk = { ...base, seq: 0, reasoning: 'x', content: 'y' };
      expectObservable(cold('-a-----|', { a: both }).pipe(annotateReasoning())).toBe('-(SaE)-|', {
        S: marker(0, 'reasoning-start', 0),
        a: marked(both, 1, 0),
        E: marker(2, 'reasoning-end', 0),
      });
    });
  });

  test('without reasoning every chunk passes as it is (the same objects)', () => {
    const chunks = [t(0, 'Hello'), t(1, ' world'), fin(2)];
    let out: Chunk[] = [];
    from(chunks).pipe(annotateReasoning(), toArray()).subscribe((all) => (out = all));
    expect(out).toHaveLength(3);
    out.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
  });

  test('an error passes through, with no end marker; an early unsubscribe reaches the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a----#', { a: r(0, 'x') });
      expectObservable(source.pipe(annotateReasoning())).toBe('-(Sa)-#', { S: marker(0, 'reasoning-start', 0), a: marked(r(0, 'x'), 1, 0) });
      const other = cold('-a----b-c-|', { a: r(0, 'x'), b: r(1, 'y'), c: r(2, 'z') });
      expectObservable(other.pipe(annotateReasoning()), '^--!').toBe('-(Sa)', { S: marker(0, 'reasoning-start', 0), a: marked(r(0, 'x'), 1, 0) });
      expectSubscriptions(other.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take stops', () => {
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 1000 && !s.closed; i++) (produced++, s.next(r(i, 'x')));
    });
    firehose.pipe(annotateReasoning(), take(3)).subscribe();
    expect(produced).toBe(2);
  });
});

describe('createRepetitionDetector', () => {
  test('finds a loop of 3-word phrases seen 3 times, also with words cut across pieces', () => {
    const detector = createRepetitionDetector({ ngram: 3, threshold: 3 });
    expect(detector.push('I am sorry. I am sorry. I am ')).toBeUndefined();
    expect(detector.push('sor')).toBeUndefined();
    expect(detector.push('ry. ')).toEqual({ ngram: 'i am sorry', occurrences: 3, atWord: 9 });
  });

  test('any cut of the text gives the same finding as the whole', () => {
    const text = 'The answer is simple. ' + 'Streams are values over time, and the stream goes on. '.repeat(6);
    const whole = createRepetitionDetector().push(text);
    expect(whole).toBeDefined();
    for (let seed = 1; seed <= 20; seed++) {
      const detector = createRepetitionDetector();
      let found: unknown;
      let at = 0;
      while (at < text.length) {
        const size = 1 + ((seed * 7 + at * 13) % 11);
        found ??= detector.push(text.slice(at, at + size));
        at += size;
      }
      found ??= detector.end();
      expect(found).toEqual(whole);
    }
  });

  test('punctuation-only words (a Markdown table rule) never make a loop', () => {
    const detector = createRepetitionDetector({ ngram: 2, threshold: 2 });
    expect(detector.push('| --- | --- | --- | --- | --- | --- |\n')).toBeUndefined();
  });

  test('a repetition spaced further apart than the window is forgotten', () => {
    const filler = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    const phrase = 'once upon a time ';
    const spaced = createRepetitionDetector({ ngram: 4, threshold: 2, window: 50 });
    expect(spaced.push(phrase + filler(60) + ' ' + phrase)).toBeUndefined();
    const close = createRepetitionDetector({ ngram: 4, threshold: 2, window: 50 });
    expect(close.push(phrase + filler(20) + ' ' + phrase)).toMatchObject({ ngram: 'once upon a time', occurrences: 2 });
  });

  test('the text ends: the last word counts', () => {
    const detector = createRepetitionDetector({ ngram: 1, threshold: 2 });
    expect(detector.push('again again')).toBeUndefined();
    expect(detector.end()).toMatchObject({ ngram: 'again', occurrences: 2 });
  });

  test('bad numbers fail when the detector is created, saying what to pass', () => {
    expect(() => createRepetitionDetector({ ngram: 0 })).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: 'Invalid repetition config: ngram: expected a positive integer, got 0' }),
    );
    expect(() => createRepetitionDetector({ threshold: 1 })).toThrow(/threshold: expected a whole number ≥ 2, got 1/);
    expect(() => createRepetitionDetector({ threshold: 5, window: 3 })).toThrow(/window: expected a whole number ≥ threshold \(5\), got 3/);
    expect(() => createRepetitionDetector({ window: 3 })).toThrow(/window: expected a whole number ≥ threshold \(4\), got 3/);
  });
});

describe('validateQuality (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));
  const quality = (chunk: Chunk, seq: number, report: QualityReport): Chunk => ({ ...chunk, seq, metadata: { ...chunk.metadata, quality: report } });
  const loopText = 'I will try again now. ';

  test('a clean answer: the finish chunk reports { ok: true, issues: [] }, nothing else changes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-f-|', { a: t(0, 'Hello '), b: t(1, 'there.'), f: fin(2) });
      expectObservable(source.pipe(validateQuality())).toBe('-a-b-f-|', {
        a: t(0, 'Hello '),
        b: t(1, 'there.'),
        f: quality(fin(2), 2, { ok: true, issues: [] }),
      });
    });
  });

  test("'report': a repetition loop is found while it streams and reported on the finish chunk", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c-d-e-f-|', { a: t(0, 'Sure. '), b: t(1, loopText), c: t(2, loopText), d: t(3, loopText), e: t(4, loopText), f: fin(5) });
      expectObservable(source.pipe(validateQuality({ repetition: { ngram: 4, threshold: 3 } }))).toBe('-a-b-c-d-e-f-|', {
        a: t(0, 'Sure. '),
        b: t(1, loopText),
        c: t(2, loopText),
        d: t(3, loopText),
        e: t(4, loopText),
        f: quality(fin(5), 5, {
          ok: false,
          issues: [
            {
              type: 'repetition',
              message: expect.stringContaining('"i will try again" occurred 3 times'),
              ngram: 'i will try again',
              occurrences: 3,
              atWord: 15,
            } as never,
          ],
        }),
      });
    });
  });

  test("'error': the stream fails with QualityError as soon as the loop is recognised, and the source is left", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d-e-f-|', { a: t(0, 'Sure. '), b: t(1, loopText), c: t(2, loopText), d: t(3, loopText), e: t(4, loopText), f: fin(5) });
      let error: any;
      const out = source.pipe(validateQuality({ onIssue: 'error', repetition: { ngram: 4, threshold: 3 } }));
      out.subscribe({ error: (e) => (error = e) });
      expectObservable(out).toBe('-a-b-c-#', { a: t(0, 'Sure. '), b: t(1, loopText), c: t(2, loopText) }, expect.anything());
      expectSubscriptions(source.subscriptions).toBe(['^------!', '^------!']);
      scheduler.flush();
      expect(isQualityError(error)).toBe(true);
      expect(error.issues).toEqual([expect.objectContaining({ type: 'repetition', ngram: 'i will try again', occurrences: 3 })]);
      expect(error.message).toMatch(/degenerate answer: the 4-word sequence "i will try again"/);
    });
  });

  test('an empty answer (reasoning, but no text and no tool call) is an issue; a tool call alone is an answer', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-b-f-|', { a: r(0, 'hmm'), b: t(1, '  '), f: fin(2) }).pipe(validateQuality())).toBe('-a-b-f-|', {
        a: r(0, 'hmm'),
        b: t(1, '  '),
        f: quality(fin(2), 2, { ok: false, issues: [{ type: 'empty', message: 'the answer has no text and no tool call' }] }),
      });
      expectObservable(cold('-a-f-|', { a: tool(0), f: fin(1, 'tool_calls', 'tool_use') }).pipe(validateQuality())).toBe('-a-f-|', {
        a: tool(0),
        f: quality(fin(1, 'tool_calls', 'tool_use'), 1, { ok: true, issues: [] }),
      });
    });
  });

  test("a max_tokens cut (finish 'length') is an issue; with 'error' it fails at the finish", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-f-|', { a: t(0, 'The list: one, two'), f: fin(1, 'length', 'max_tokens') });
      expectObservable(source.pipe(validateQuality())).toBe('-a-f-|', {
        a: t(0, 'The list: one, two'),
        f: quality(fin(1, 'length', 'max_tokens'), 1, {
          ok: false,
          issues: [{ type: 'truncated', message: 'the answer was cut by the token limit (max_tokens)', rawFinishReason: 'max_tokens' }],
        }),
      });
      expectObservable(source.pipe(validateQuality({ onIssue: 'error' }))).toBe('-a-#', { a: t(0, 'The list: one, two') }, expect.anything());
    });
  });

  test('no finish reason: the report comes on a last synthetic chunk', () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-|', { a: t(0, 'Hi') }).pipe(validateQuality())).toBe('-a-(z|)', {
        a: t(0, 'Hi'),
        z: { provider: 'anthropic', id: 'msg_1', model: 'claude', seq: 1, bytes: 0, metadata: { quality: { ok: true, issues: [] } } },
      });
    });
  });

  test('repetition: false checks only for empty and cut answers', () => {
    const chunks = [t(0, 'a b c d '.repeat(50)), fin(1)];
    let out: Chunk[] = [];
    from(chunks).pipe(validateQuality({ repetition: false }), toArray()).subscribe((all) => (out = all));
    expect(out[1].metadata?.quality).toEqual({ ok: true, issues: [] });
  });

  test('bad settings fail when the operator is created', () => {
    expect(() => validateQuality({ onIssue: 'warn' as never })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'onIssue', expected: "'report' or 'error'", got: '"warn"' }] }),
    );
    expect(() => validateQuality({ repetition: { threshold: 1 } })).toThrow(/Invalid validateQuality config: repetition.threshold: expected a whole number ≥ 2, got 1/);
  });

  test('an early unsubscribe reaches the source; a synchronous firehose cut by take stops', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: t(0, 'x'), b: t(1, 'y'), c: t(2, 'z') });
      expectObservable(source.pipe(validateQuality()), '^--!').toBe('-a-', { a: t(0, 'x') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 1000 && !s.closed; i++) (produced++, s.next(t(i, `word${i} `)));
    });
    firehose.pipe(validateQuality(), take(2)).subscribe();
    expect(produced).toBe(2);
  });
});

describe('anthropic features on the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const options = (headers: Record<string, string> = {}) => ({ baseURL, apiKey: 'sk-ant-mock-key-000', headers });
  const question: Array<{ role: 'user'; content: string }> = [{ role: 'user', content: 'Explain cancellation of streams.' }];
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = `${server.url}/v1`;
  });
  afterAll(() => server.close());

  const chunksOf = (messages: ChatMessage[], opts: Record<string, unknown>) => lastValueFrom(streamChat$(anthropic, messages, opts).pipe(toArray()));

  test('annotateReasoning: the thinking block is framed, its signature on the end marker, the answer unchanged', async () => {
    const expected = answerFor(question, { thinking: true });
    const chunks = await chunksOf(question, { ...options(), thinking: { budgetTokens: 1024 }, annotateReasoning: true });
    const annotations = chunks.map((c) => c.metadata?.annotation);
    const start = annotations.indexOf('reasoning-start');
    const end = annotations.indexOf('reasoning-end');
    expect(annotations.filter((a) => a === 'reasoning-start')).toHaveLength(1);
    expect(annotations.filter((a) => a === 'reasoning-end')).toHaveLength(1);
    // every reasoning delta is inside the frame and marked; all text comes after it
    chunks.forEach((c, i) => {
      if (c.reasoning) {
        expect(i).toBeGreaterThan(start);
        expect(i).toBeLessThan(end);
        expect(c.metadata).toMatchObject({ annotation: 'reasoning', reasoningBlock: 0 });
      }
      if (c.content) expect(i).toBeGreaterThan(end);
    });
    const signed = chunks.find((c) => c.metadata?.thinkingSignature !== undefined && c.metadata.annotation === undefined);
    expect(chunks[end].metadata).toEqual({ annotation: 'reasoning-end', reasoningBlock: 0, thinkingSignature: signed!.metadata!.thinkingSignature });
    expect(chunks[start]).toMatchObject({ bytes: 0, provider: 'anthropic' });
    expect(chunks[end].bytes).toBe(0);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    const response = createResponseAccumulator();
    chunks.forEach((c) => response.add(c));
    expect(response.snapshot().reasoning).toBe(expected.reasoning);
    expect(response.snapshot().content).toBe(expected.text);
  });

  test('with the options off the stream is unchanged chunk for chunk', async () => {
    const plain = await chunksOf(question, { ...options(), thinking: { budgetTokens: 1024 } });
    const off = await chunksOf(question, { ...options(), thinking: { budgetTokens: 1024 }, annotateReasoning: false, validateQuality: false });
    expect(off).toEqual(plain);
    expect(anthropic.features!({ options: { model: 'm', baseURL, annotateReasoning: false, validateQuality: false }, request: { url: '', method: 'POST', headers: {} }, secrets: [] })).toEqual([]);
    // and with them on, removing what they add gives the same stream back
    const on = await chunksOf(question, { ...options(), thinking: { budgetTokens: 1024 }, annotateReasoning: true, validateQuality: true });
    const added = new Set(['annotation', 'reasoningBlock', 'quality']);
    const stripped = on
      .filter((c) => c.metadata?.annotation !== 'reasoning-start' && c.metadata?.annotation !== 'reasoning-end')
      .map((c, seq) => {
        const out: Chunk = { ...c, seq };
        if (!c.metadata) return out;
        const rest = Object.fromEntries(Object.entries(c.metadata).filter(([key]) => !added.has(key)));
        if (Object.keys(rest).length > 0) out.metadata = rest;
        else delete out.metadata;
        return out;
      });
    expect(stripped).toEqual(plain);
  });

  test('validateQuality: a clean answer is ok', async () => {
    const response = await lastValueFrom(streamChat$(anthropic, question, { ...options(), validateQuality: true }).pipe(toArray()));
    const last = response[response.length - 1];
    expect(last.finishReason).toBe('stop');
    expect(last.metadata?.quality).toEqual({ ok: true, issues: [] });
  });

  test('validateQuality: an answer stuck in a loop (x-mock-repeat) is reported with the repeated words', async () => {
    const repeated = answerFor(question, { repeat: 12 });
    const { chunks, error } = await collect(streamChat$(anthropic, question, { ...options({ 'x-mock-repeat': '12' }), validateQuality: true }));
    expect(error).toBeUndefined();
    const response = createResponseAccumulator();
    chunks.forEach((c) => response.add(c));
    expect(response.snapshot().content).toBe(repeated.text); // reported, nothing held back
    const quality = chunks[chunks.length - 1].metadata?.quality as QualityReport;
    expect(quality.ok).toBe(false);
    expect(quality.issues).toHaveLength(1);
    expect(quality.issues[0]).toMatchObject({ type: 'repetition', occurrences: 4 });
    // the repeated words are words of the sentence the model is stuck on
    const loopWords = repeated.text.split('. ')[1].toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, '').split(/\s+/);
    const ngram = (quality.issues[0] as { ngram: string }).ngram.split(' ');
    expect(ngram).toHaveLength(5);
    ngram.forEach((word) => expect(loopWords).toContain(word));
  });

  test("validateQuality { onIssue: 'error' }: the loop ends the stream with QualityError before the answer is over, partial attached", async () => {
    const repeated = answerFor(question, { repeat: 12 });
    const { chunks, error } = await collect(
      streamChat$(anthropic, question, { ...options({ 'x-mock-repeat': '12' }), validateQuality: { onIssue: 'error', repetition: { ngram: 4, threshold: 3 } } }),
    );
    expect(isQualityError(error)).toBe(true);
    const partial = (error as { partial: { content: string } }).partial;
    const received = chunks.map((c) => c.content ?? '').join('');
    expect(partial.content).toBe(received);
    expect(received.length).toBeGreaterThan(0);
    expect(received.length).toBeLessThan(repeated.text.length / 2);
    expect(chunks.some((c) => c.finishReason)).toBe(false);
  });

  test('validateQuality: an empty answer (x-mock-sentences: 0) and a max_tokens cut are reported', async () => {
    const empty = await chunksOf(question, { ...options({ 'x-mock-sentences': '0' }), validateQuality: true });
    expect(empty[empty.length - 1].metadata?.quality).toEqual({ ok: false, issues: [{ type: 'empty', message: 'the answer has no text and no tool call' }] });

    const cut = await chunksOf(question, { ...options(), maxTokens: 5, validateQuality: true });
    const last = cut[cut.length - 1];
    expect(last.finishReason).toBe('length');
    expect(cut.map((c) => c.content ?? '').join('')).toBe(tokenize(answerFor(question).text).slice(0, 5).join(''));
    expect(last.metadata?.quality).toEqual({
      ok: false,
      issues: [{ type: 'truncated', message: 'the answer was cut by the token limit (max_tokens)', rawFinishReason: 'max_tokens' }],
    });
  });

  test('bad settings are a ConfigError naming the option, before any request', async () => {
    const before = server.requests.length;
    for (const validateQuality of [{ onIssue: 'warn' }, { repetition: { threshold: 1 } }, { repetition: { ngram: 0 } }, 'yes']) {
      const { error } = await collect(streamChat$(anthropic, question, { ...options(), validateQuality } as never));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(/validateQuality/);
    }
    const { error } = await collect(streamChat$(anthropic, question, { ...options(), validateQuality: { repetition: { threshold: 9, window: 4 } } }));
    expect(isConfigError(error)).toBe(true);
    // the operator's own issue, under the option's path
    expect((error as ConfigError).issues).toEqual([{ path: 'validateQuality.repetition.window', expected: 'a whole number ≥ threshold (9)', got: '4' }]);
    expect(() => validateQuality({ repetition: { threshold: 9, window: 4 } })).toThrow(
      expect.objectContaining({ issues: [{ path: 'repetition.window', expected: 'a whole number ≥ threshold (9)', got: '4' }] }),
    );
    const { error: annotateError } = await collect(streamChat$(anthropic, question, { ...options(), annotateReasoning: 'yes' } as never));
    expect(isConfigError(annotateError)).toBe(true);
    expect(server.requests.length).toBe(before); // nothing was sent
  });
});

