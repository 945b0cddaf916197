import * as t from 'io-ts';
import { lastValueFrom, toArray } from 'rxjs';
import { streamChat$, toResponse, type ProviderId } from '../../lib';
import { isLeft } from '../../lib/codec/isLeft';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';

/** A shape with every combinator the derivation knows, as a user declares it. */
const Person = t.intersection([
  t.type({
    name: t.string,
    born: t.Int,
    alive: t.boolean,
    field: t.keyof({ mathematics: null, poetry: null }),
    kind: t.union([t.literal('person'), t.literal('robot')]),
    address: t.readonly(t.exact(t.type({ city: t.string, zip: t.union([t.string, t.null]) }))),
    works: t.array(t.type({ title: t.string, year: t.number })),
    spouse: t.null,
  }),
  t.partial({ nickname: t.string }),
]);

/** Every provider with structured output, on its mock route (Azure's v1 forms too); LM Studio's REST v0 with `native: true`. */
const CASES: Array<{ id: ProviderId; label?: string; extra?: Record<string, unknown> }> = [
  { id: 'openai' },
  { id: 'azure' },
  { id: 'openai-responses' },
  { id: 'azure-responses' },
  { id: 'anthropic', extra: { model: 'claude-sonnet-4-6' } },
  { id: 'gemini', extra: { model: 'gemini-2.5-flash' } },
  { id: 'mistral' },
  { id: 'perplexity' },
  { id: 'lmstudio' },
  { id: 'lmstudio', label: 'lmstudio (native: true → REST v0)', extra: { native: true } },
  { id: 'ollama', extra: { model: 'llama3.2' } },
];

describe('output: a codec → the request → the mock answers JSON of the schema → the codec decodes the answer', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test.each(CASES.map((c) => ({ ...c, label: c.label ?? c.id })))('$label', async ({ id, extra }) => {
    const before = server.requests.length;
    const response = await lastValueFrom(
      streamChat$(id, [{ role: 'user', content: 'Describe Ada Lovelace' }], { baseURL: mockBaseURL(server, id), apiKey: 'k', output: { schema: Person, name: 'person' }, ...extra }).pipe(
        toResponse(),
      ),
    );
    expect(server.requests.length).toBe(before + 1);
    expect(response.finishReason).toBe('stop');
    const decoded = Person.decode(JSON.parse(response.content));
    expect(isLeft(decoded)).toBe(false);
    // the strings come from the prompt's words, the first enum value, arrays of 2
    expect(JSON.parse(response.content)).toMatchObject({ name: 'Describe', field: 'mathematics', kind: 'person', spouse: null });
    expect(JSON.parse(response.content).works).toHaveLength(2);
  });

  test('the answer streams in many deltas, and a continuation gets the rest of the same JSON', async () => {
    const ask = (messages: Array<{ role: 'user' | 'assistant'; content: string }>) =>
      streamChat$('openai', messages, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k', output: { schema: Person } });
    const question = { role: 'user' as const, content: 'Describe Ada Lovelace' };
    const chunks = await lastValueFrom(ask([question]).pipe(toArray()));
    const content = chunks.map((c) => c.content ?? '').join('');
    expect(chunks.filter((c) => c.content).length).toBeGreaterThan(10);
    expect(isLeft(Person.decode(JSON.parse(content)))).toBe(false);
    // a recovery's continuation (instruction form) gets exactly the rest
    const half = content.slice(0, 40);
    const rest = await lastValueFrom(ask([question, { role: 'assistant', content: half }, { role: 'user', content: 'Continue your previous answer exactly where it stopped.' }]).pipe(toResponse()));
    expect(half + rest.content).toBe(content);
  });

  test('a JSON Schema given as it is: the mock answers to it', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' }, days: { type: 'array', items: { type: 'integer' } } }, required: ['city', 'days'], additionalProperties: false };
    const response = await lastValueFrom(
      streamChat$('gemini', [{ role: 'user', content: 'Weather in Oslo' }], { baseURL: mockBaseURL(server, 'gemini'), apiKey: 'k', output: { schema } }).pipe(toResponse()),
    );
    expect(JSON.parse(response.content)).toEqual({ city: 'Weather', days: [7, 7] });
  });

  test('OpenAI strict refuses a given schema with an open object, as the API does (HttpError 400)', async () => {
    const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const error = await lastValueFrom(
      streamChat$('openai', [{ role: 'user', content: 'Weather in Oslo' }], { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k', output: { schema, name: 'weather' } }),
    ).catch((e: unknown) => e as { status?: number; body?: unknown });
    expect(error).toMatchObject({
      status: 400,
      body: { error: { message: "Invalid schema for response_format 'weather': In context=(), 'additionalProperties' is required to be supplied and to be false.", param: 'response_format' } },
    });
  });
});
