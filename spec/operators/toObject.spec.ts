import fc from 'fast-check';
import * as t from 'io-ts';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isNoObjectError, isOutputValidationError, isParseError, streamChat$, type Chunk } from '../../lib';
import { partialObjects, toObject } from '../../operators';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { answerHeader } from '../support/mockWire';
import { lastPath, MOCK_ROUTES, streamOn } from '../support/mockRoutes';
import { cutPoints, deepEqual, expectPrefixConsistent, jsonString, serialized, splitAt, splitHeader } from '../support/partialJsonProperty';

const Recipe = t.type({
  title: t.string,
  steps: t.array(t.type({ text: t.string, minutes: t.number })),
  tags: t.array(t.string),
});
type Recipe = t.TypeOf<typeof Recipe>;

const chunk = (seq: number, content: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'openai', seq, bytes: content.length, content, ...extra });
const chunksOf = (pieces: string[], last: Partial<Chunk> = { finishReason: 'stop' }): Chunk[] => [...pieces.map((p, i) => chunk(i, p)), { provider: 'openai', seq: pieces.length, bytes: 0, ...last }];
const outcome = <A>(chunks: Chunk[], codec: t.Decoder<unknown, A>) => lastValueFrom(from(chunks).pipe(toObject(codec))).then((value) => ({ value, error: undefined as unknown }), (error: unknown) => ({ value: undefined, error }));

const recipe: Recipe = { title: 'Crêpes 🥞', steps: [{ text: 'Mix "well"', minutes: 5 }, { text: 'Cook', minutes: 2 }], tags: ['sweet'] };

/**
 * An author, with most of what a codec can say and a provider's schema can carry: an intersection
 * with an optional field, a branded integer, an enum, a nested object with a nullable field, an array
 * of objects that hold an array, and a null.
 */
const Author = t.intersection([
  t.type({
    name: t.string,
    born: t.Int,
    alive: t.boolean,
    field: t.keyof({ mathematics: null, poetry: null }),
    address: t.type({ city: t.string, zip: t.union([t.string, t.null]) }),
    works: t.array(t.type({ title: t.string, year: t.number, tags: t.array(t.string) })),
    spouse: t.null,
  }),
  t.partial({ nickname: t.string }),
]);

type JsonKind = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';
const kindOf = (value: unknown): JsonKind => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonKind));

/**
 * The kinds of JSON value `Author` takes at each path (`#` for an array index): the test's own account
 * of the codec, written apart from it, so that a mutation is known to be of a kind the codec refuses.
 */
const AUTHOR_KINDS: Record<string, JsonKind[]> = {
  name: ['string'],
  born: ['number'],
  alive: ['boolean'],
  field: ['string'],
  address: ['object'],
  'address.city': ['string'],
  'address.zip': ['string', 'null'],
  works: ['array'],
  'works.#': ['object'],
  'works.#.title': ['string'],
  'works.#.year': ['number'],
  'works.#.tags': ['array'],
  'works.#.tags.#': ['string'],
  spouse: ['null'],
  // optional (t.partial): null there reads as its absence, as a strict answer means it (nullAsAbsent)
  nickname: ['string', 'null'],
};

/** Values of every kind, some empty: a mutation takes one whose kind the path does not take. */
const REPLACEMENTS: unknown[] = [0, -2.5, 'x', '', true, false, null, [], ['x'], {}, { a: 1 }];

/** Valid authors: strings with escapes, emoji and control characters; any finite year but -0 (which JSON cannot keep). */
const authors = fc.record(
  {
    name: jsonString,
    born: fc.integer(),
    alive: fc.boolean(),
    field: fc.constantFrom('mathematics' as const, 'poetry' as const),
    address: fc.record({ city: jsonString, zip: fc.option(jsonString, { nil: null }) }),
    works: fc.array(fc.record({ title: jsonString, year: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0)), tags: fc.array(jsonString, { maxLength: 3 }) }), {
      maxLength: 3,
    }),
    spouse: fc.constant(null),
    nickname: jsonString,
  },
  { requiredKeys: ['name', 'born', 'alive', 'field', 'address', 'works', 'spouse'] },
);

/** Every path inside `value` (the root apart), as the issues name them: `['works', '1', 'tags', '0']`. */
function pathsOf(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

/** `value` with the value at `path` replaced (a deep copy; `value` is left as it is). */
function replacedAt(value: unknown, path: string[], replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string, unknown>;
  at[path[path.length - 1]] = replacement;
  return copy;
}

/**
 * A valid author, and the same author with one field at any depth (fast-check picks which) replaced by
 * a value of a kind `Author` refuses there: the JSON text of each (compact or indented), and points to
 * cut each at.
 */
const mutatedAuthors = authors.chain((author) =>
  fc.record({ path: fc.constantFrom(...pathsOf(author)), pick: fc.nat() }).chain(({ path, pick }) => {
    const takes = AUTHOR_KINDS[path.map((key) => (/^\d+$/.test(key) ? '#' : key)).join('.')];
    const wrong = REPLACEMENTS.filter((value) => !takes.includes(kindOf(value)));
    const mutated = replacedAt(author, path, wrong[pick % wrong.length]);
    return fc.record({ text: serialized(mutated), validText: serialized(author) }).chain(({ text, validText }) =>
      fc.record({ points: cutPoints(text), validPoints: cutPoints(validText) }).map(({ points, validPoints }) => ({ author, validText, validPoints, path: path.join('.'), mutated, text, points })),
    );
  }),
);

describe('toObject', () => {
  test('one value at the completion: the JSON decoded by the codec', () => {
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      const source = cold('-a-b-c|', { a: chunk(0, '```json\n{"title": "Crêpes 🥞", "steps": [{"text": "Mix \\"well\\"", '), b: chunk(1, '"minutes": 5}, {"text": "Cook", "minutes": 2}], "tags"'), c: chunk(2, ': ["sweet"]}\n```') });
      expectObservable(source.pipe(toObject(Recipe))).toBe('------(r|)', { r: recipe });
    });
  });

  test('a mismatch is an OutputValidationError with the io-ts paths, the value and the raw text', async () => {
    const text = JSON.stringify({ ...recipe, steps: [recipe.steps[0], { text: 'Cook', minutes: 'two' }] });
    const { error } = await outcome(chunksOf([text.slice(0, 20), text.slice(20)]), Recipe);
    expect(isOutputValidationError(error)).toBe(true);
    if (!isOutputValidationError(error)) return;
    expect(error.issues).toEqual([{ path: 'steps.1.minutes', expected: 'number', got: '"two"' }]);
    expect(error.raw).toBe(text);
    expect(error.value).toEqual(JSON.parse(text));
    expect(error.provider).toBe('openai');
    expect(error.message).toBe('openai: the answer does not match the expected shape: steps.1.minutes: expected number, got "two"');
  });

  test('invalid JSON is a ParseError (kind json) with the raw text and where', async () => {
    const { error } = await outcome(chunksOf(['{"title": "x",', ' steps: []}']), Recipe);
    expect(isParseError(error)).toBe(true);
    if (!isParseError(error)) return;
    expect(error.kind).toBe('json');
    expect(error.raw).toBe('{"title": "x", steps: []}');
    expect(error.at).toEqual({ offset: 15, line: 1, column: 16 });
    expect(error.message).toBe(`openai: the answer is not JSON (finish reason 'stop'): invalid JSON at line 1, column 16 (character 15): expected a key (a string), got "s"`);
  });

  test("a refusal is a NoObjectError 'refusal' — OpenAI's marked chunks, Anthropic's refusal stop — never a parse error", async () => {
    const openai = await outcome([chunk(0, 'I cannot ', { metadata: { refusal: true } }), chunk(1, 'help.', { metadata: { refusal: true } }), { provider: 'openai', seq: 2, bytes: 0, finishReason: 'stop' }], Recipe);
    expect(isNoObjectError(openai.error) && [openai.error.reason, openai.error.text]).toEqual(['refusal', 'I cannot help.']);
    expect((openai.error as Error).message).toBe('openai: no object in the answer: the model refused: "I cannot help."');
    const anthropic = await outcome(chunksOf(['I will not'], { finishReason: 'content_filter', metadata: { rawFinishReason: 'refusal' } }), Recipe);
    expect(isNoObjectError(anthropic.error) && [anthropic.error.reason, anthropic.error.text, anthropic.error.finishReason]).toEqual(['refusal', 'I will not', 'content_filter']);
  });

  test("a cut at the token limit is a NoObjectError 'length'; a content filter 'content-filter'", async () => {
    const cut = await outcome(chunksOf(['{"title": "Cr'], { finishReason: 'length' }), Recipe);
    expect(isNoObjectError(cut.error) && [cut.error.reason, cut.error.text]).toEqual(['length', '{"title": "Cr']);
    const filtered = await outcome(chunksOf(['{"title": '], { finishReason: 'content_filter', metadata: { rawFinishReason: 'SAFETY' } }), Recipe);
    expect(isNoObjectError(filtered.error) && filtered.error.reason).toBe('content-filter');
  });

  test('an answer without content is a ParseError that says so; an error of the source passes through', async () => {
    const { error } = await outcome([{ provider: 'openai', seq: 0, bytes: 0, finishReason: 'tool_calls' }], Recipe);
    expect(isParseError(error) && error.message).toBe("openai: the answer is not JSON (finish reason 'tool_calls'): invalid JSON at line 1, column 1 (character 0): expected a JSON value, got the end of the text");
    const boom = new Error('reset');
    new TestScheduler((actual, expected) => expect(actual).toEqual(expected)).run(({ cold, expectObservable }) => {
      expectObservable(cold('-a-#', { a: chunk(0, '{') }, boom).pipe(toObject(Recipe))).toBe('---#', undefined, boom);
    });
  });

  test('bad configuration fails when the operator is created', () => {
    expect(() => toObject('Recipe' as never)).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'codec', expected: 'an io-ts codec (e.g. t.type({ name: t.string }))', got: '"Recipe"' }] }),
    );
  });

  test('property: a valid value streamed in random chunks decodes to itself; one field mutated gives the typed error at its path', async () => {
    const step = fc.record({ text: fc.string({ unit: 'grapheme', maxLength: 10 }), minutes: fc.integer({ min: 0, max: 90 }) });
    const recipes = fc.record({ title: fc.string({ maxLength: 10 }), steps: fc.array(step, { minLength: 1, maxLength: 6 }), tags: fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) });
    await fc.assert(
      fc.asyncProperty(recipes, fc.nat(), fc.array(fc.nat(), { maxLength: 20 }), fc.boolean(), async (value, which, points, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined);
        expect((await outcome(chunksOf(splitAt(text, points)), Recipe)).value).toEqual(value);
        const at = which % value.steps.length;
        const mutated = { ...value, steps: value.steps.map((s, i) => (i === at ? { ...s, minutes: String(s.minutes) } : s)) };
        const { error } = await outcome(chunksOf(splitAt(JSON.stringify(mutated, null, pretty ? 2 : undefined), points)), Recipe);
        expect(isOutputValidationError(error) && error.issues.map((issue) => issue.path)).toEqual([`steps.${at}.minutes`]);
      }),
      { numRuns: 200 },
    );
  });

  describe('over HTTP, against the mock server', () => {
    let server: MockServer;
    beforeAll(async () => (server = await startMockServer()));
    afterAll(() => server.close());

    test.each(['openai', 'anthropic', 'mistral', 'ollama'] as const)('%s: the answer decodes; a mismatch names its path', async (provider) => {
      const ask = (text: string) => streamChat$(provider, [{ role: 'user', content: 'A recipe, in JSON.' }], { baseURL: mockBaseURL(server, provider), apiKey: 'test-key', headers: answerHeader(text) });
      await expect(lastValueFrom(ask(JSON.stringify(recipe, null, 2)).pipe(toObject(Recipe)))).resolves.toEqual(recipe);
      const error = await lastValueFrom(ask(JSON.stringify({ ...recipe, tags: ['sweet', 3] })).pipe(toObject(Recipe))).catch((e: unknown) => e);
      expect(isOutputValidationError(error) && [error.provider, error.issues]).toEqual([provider, [{ path: 'tags.1', expected: 'string', got: '3' }]]);
    });

    test.each(MOCK_ROUTES)(
      '$label: output: { schema }, answered with a valid value, then with one nested field of the wrong kind, cut at random points: the first decodes, the second is an OutputValidationError naming exactly that path, and partialObjects stays prefix-consistent',
      async (route) => {
        // LM Studio's REST v1 documents no response format: the provider refuses `output` there, so its request goes without
        const output = route.takesOutput ? { output: { schema: Author, name: 'author' } } : {};
        const ask = (text: string, points: number[]) => streamOn(server, route, 'An author, in JSON.', { ...output, headers: { ...answerHeader(text), ...splitHeader(points) } });
        await fc.assert(
          fc.asyncProperty(mutatedAuthors, async ({ author, validText, validPoints, path, mutated, text, points }) => {
            await expect(lastValueFrom(ask(validText, validPoints).pipe(toObject(Author)))).resolves.toEqual(author);
            expect(lastPath(server)).toBe(route.path);
            // the request carried the codec's schema (its property names are not in the prompt)
            expect(JSON.stringify(server.requests[server.requests.length - 1].body).includes('"tags"')).toBe(route.takesOutput);

            const error = await lastValueFrom(ask(text, points).pipe(toObject(Author))).then(
              () => undefined,
              (e: unknown) => e,
            );
            expect(isOutputValidationError(error) && { provider: error.provider, paths: error.issues.map((issue) => issue.path) }).toEqual({ provider: route.provider, paths: [path] });
            expect(isOutputValidationError(error) && deepEqual(error.value, mutated)).toBe(true);

            expectPrefixConsistent(await lastValueFrom(ask(text, points).pipe(partialObjects(), toArray())), text);
          }),
          { numRuns: 12 },
        );
      },
    );
  });
});
