import fc from 'fast-check';
import { from, lastValueFrom, Observable, take, tap, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isNoObjectError, isParseError, streamChat$, type Chunk } from '../../lib';
import { partialObjects, toObject } from '../../operators';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { splitText } from '../../testing/textPieces';
import * as t from 'io-ts';
import { answerHeader } from '../support/mockWire';
import { lastPath, MOCK_ROUTES, streamOn } from '../support/mockRoutes';
import { cutPoints, deepEqual, expectPrefixConsistent, jsonValue, serialized, splitHeader, streamedJson } from '../support/partialJsonProperty';

const chunk = (seq: number, content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', seq, bytes: content.length, content, ...extra });
const chunksOf = (pieces: string[], last: Partial<Chunk> = { finishReason: 'stop' }): Chunk[] => [...pieces.map((p, i) => chunk(i, p)), { provider: 'openai', seq: pieces.length, bytes: 0, ...last }];

/** Runs the operator over chunks: the values, and the error. */
function run(chunks: Chunk[]) {
  const values: unknown[] = [];
  let error: unknown;
  let completed = false;
  from(chunks)
    .pipe(partialObjects())
    .subscribe({ next: (v) => values.push(v), error: (e) => (error = e), complete: () => (completed = true) });
  return { values, error, completed };
}

/**
 * A random JSON value's text, the answer that carries it (the text alone, or in a ```json fence) and
 * random points to cut the answer at, tricky ones among them (see `cutPoints`).
 */
const splitAnswers = jsonValue.chain((value) =>
  serialized(value).chain((text) =>
    fc.boolean().chain((fenced) => {
      const answer = fenced ? `\`\`\`json\n${text}\n\`\`\`` : text;
      return cutPoints(answer).map((points) => ({ text, answer, points }));
    }),
  ),
);

describe('partialObjects', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('a value per chunk that changed it; none for a chunk that did not; completes with the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Chunk>('-a-b-c-d-e|', {
        a: chunk(0, '{"name":"Ad'),
        b: chunk(1, 'a","tags":["x'),
        c: chunk(2, '"],"age":3'),
        d: chunk(3, '6}'),
        e: { provider: 'openai', seq: 4, bytes: 0, finishReason: 'stop' },
      });
      expectObservable(source.pipe(partialObjects())).toBe('-a-b---d--|', {
        a: { name: 'Ad' },
        b: { name: 'Ada', tags: ['x'] },
        d: { name: 'Ada', tags: ['x'], age: 36 },
      });
      expectSubscriptions(source.subscriptions).toBe('^---------!');
    });
  });

  test('a top-level number shows at the completion; reasoning, tool calls and empty chunks are not read', () => {
    expect(run([chunk(0, '4'), { provider: 'openai', seq: 1, bytes: 0, reasoning: '{oops' }, chunk(2, '2'), chunk(3, '')]).values).toEqual([42]);
  });

  test('invalid JSON mid-stream: what was read before it goes out, then a ParseError (kind json) that says where', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: chunk(0, '{"a": ["x'), b: chunk(1, 'y", 2} tail'), c: chunk(2, '{}') });
      expectObservable(source.pipe(partialObjects())).toBe('-a-(b#)', { a: { a: ['x'] }, b: { a: ['xy', 2] } }, expect.objectContaining({
        name: 'ParseError',
        kind: 'json',
        provider: 'openai',
        at: { offset: 14, line: 1, column: 15 },
        message: `invalid JSON at line 1, column 15 (character 14): expected ',' or ']' after an element, got "}"`,
      }));
    });
  });

  test('an answer that ends before its JSON does: a ParseError at the end, after the values read', () => {
    const { values, error } = run(chunksOf(['{"a": [1, ', '2']));
    expect(values).toEqual([{ a: [1] }]);
    expect(isParseError(error) && error.message).toBe("invalid JSON at line 1, column 12 (character 11): expected the rest of the array, got the end of the text");
  });

  test("a refusal (OpenAI's, marked on its chunks) is a NoObjectError 'refusal' with the model's words, never a parse error", () => {
    const { values, error } = run([
      chunk(0, "I'm sorry, ", { metadata: { refusal: true } }),
      chunk(1, 'I cannot help with that.', { metadata: { refusal: true } }),
      { provider: 'openai', seq: 2, bytes: 0, finishReason: 'stop' },
    ]);
    expect(values).toEqual([]);
    expect(isNoObjectError(error) && { reason: error.reason, text: error.text }).toEqual({ reason: 'refusal', text: "I'm sorry, I cannot help with that." });
  });

  test("a cut at the token limit is a NoObjectError 'length' at the end, after the values read", () => {
    const { values, error } = run(chunksOf(['{"a": "lo', 'ng'], { finishReason: 'length', metadata: { rawFinishReason: 'max_tokens' } }));
    expect(values).toEqual([{ a: 'lo' }, { a: 'long' }]);
    expect(isNoObjectError(error) && { reason: error.reason, text: error.text, finishReason: error.finishReason }).toEqual({ reason: 'length', text: '{"a": "long', finishReason: 'length' });
    expect((error as Error).message).toBe("openai: no object in the answer: the answer was cut at the token limit (finish reason 'length', raise maxTokens)");
  });

  test('an error of the source passes through after the values', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const boom = new Error('socket closed');
      expectObservable(cold('-a-#', { a: chunk(0, '["x') }, boom).pipe(partialObjects())).toBe('-a-#', { a: ['x'] }, boom);
    });
  });

  test('an early unsubscribe reaches the source; a synchronous firehose cut by take stops it', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-|', { a: chunk(0, '["a'), b: chunk(1, 'b'), c: chunk(2, 'c"]') });
      expectObservable(source.pipe(partialObjects()), '^--!').toBe('-a-', { a: ['a'] });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      s.next(chunk(0, '['));
      for (let i = 1; i < 1000 && !s.closed; i++) (produced++, s.next(chunk(i, `${i},`)));
    });
    const values: unknown[] = [];
    firehose.pipe(partialObjects(), take(2)).subscribe((v) => values.push(v));
    expect(values).toEqual([[], [1]]);
    expect(produced).toBe(1);
  });

  test('a long open array: values are spaced out to stay linear, and the whole value comes last', () => {
    const text = JSON.stringify(Array.from({ length: 20_000 }, (_, i) => i));
    const pieces = text.match(/.{1,8}/g)!;
    const { values, completed } = run(chunksOf(pieces));
    expect(completed).toBe(true);
    expect(values.length).toBeLessThan(pieces.length / 4);
    expect(values.length).toBeGreaterThan(100);
    expect(values[values.length - 1]).toEqual(JSON.parse(text));
    // a source error: the value held back goes out before it
    const seen: unknown[] = [];
    let failed: unknown;
    const boom = new Error('reset');
    new Observable<Chunk>((s) => {
      for (const piece of pieces.slice(0, 10_000)) s.next(chunk(0, piece));
      s.error(boom);
    })
      .pipe(partialObjects())
      .subscribe({ next: (v) => seen.push(v), error: (e) => (failed = e) });
    expect(failed).toBe(boom);
    expect((seen[seen.length - 1] as number[]).length).toBe(JSON.parse(pieces.slice(0, 10_000).join('').replace(/,?\d*$/, ']')).length);
  });

  test('property: random JSON (pretty-printed too) cut into random chunks — every value prefix-consistent, the last JSON.parse of the whole, toObject decodes it', () => {
    fc.assert(
      fc.property(streamedJson, ({ text, pieces }) => {
        const { values, error, completed } = run(chunksOf(pieces));
        expect(error).toBeUndefined();
        expect(completed).toBe(true);
        expectPrefixConsistent(values, text);
        let decoded: unknown;
        from(chunksOf(pieces)).pipe(toObject(t.unknown)).subscribe((v) => (decoded = v));
        expect(deepEqual(decoded, JSON.parse(text))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  describe('over HTTP, against the mock server', () => {
    let server: MockServer;
    beforeAll(async () => (server = await startMockServer()));
    afterAll(() => server.close());

    test.each(MOCK_ROUTES)(
      '$label: random JSON answered as the text, cut at random points (x-mock-split): the deltas arrive as cut, values prefix-consistent, the last the whole, toObject decodes it',
      async (route) => {
        await fc.assert(
          fc.asyncProperty(splitAnswers, async ({ text, answer, points }) => {
            const headers = { ...answerHeader(answer), ...splitHeader(points) };
            const contents: string[] = [];
            const values = await lastValueFrom(
              streamOn(server, route, 'Answer in JSON.', { headers }).pipe(
                tap((chunk) => chunk.content && contents.push(chunk.content)),
                partialObjects(),
                toArray(),
              ),
            );
            expect(lastPath(server)).toBe(route.path);
            // the content reached the client in exactly the pieces asked for (a cut inside a surrogate pair moved after it)
            expect(contents).toEqual(splitText(answer, points));
            expectPrefixConsistent(values, text);
            const decoded = await lastValueFrom(streamOn(server, route, 'Answer in JSON.', { headers }).pipe(toObject(t.unknown)));
            expect(deepEqual(decoded, JSON.parse(text))).toBe(true);
          }),
          { numRuns: 12 },
        );
      },
    );

    test("anthropic: an answer cut by maxTokens (stop_reason max_tokens) is a NoObjectError 'length', for both operators", async () => {
      const options = { baseURL: mockBaseURL(server, 'anthropic'), apiKey: 'test-key', maxTokens: 4, headers: answerHeader('{"title": "a long title of many words", "n": 1}') };
      const values: unknown[] = [];
      const error = await new Promise((resolve) =>
        streamChat$('anthropic', [{ role: 'user', content: 'JSON' }], options).pipe(partialObjects()).subscribe({ next: (v) => values.push(v), error: resolve, complete: () => resolve(undefined) }),
      );
      expect(values.length).toBeGreaterThan(0);
      expect(isNoObjectError(error) && error.reason).toBe('length');
      const decodeError = await lastValueFrom(streamChat$('anthropic', [{ role: 'user', content: 'JSON' }], options).pipe(toObject(t.unknown))).catch((e: unknown) => e);
      expect(isNoObjectError(decodeError) && [decodeError.reason, decodeError.text]).toEqual(['length', expect.stringMatching(/^\{"title": "a/)]);
    });
  });
});
