import * as t from 'io-ts';
import { from, lastValueFrom, take, toArray } from 'rxjs';
import { createChatRelay, isConfigError, isHttpError, memoryRelayStore, partialObjects, streamChat$, tool, toMessages, toObject, toResponse, type ChatRelayConfig, type ProviderId, type RelayStore } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { answerHeader } from '../support/mockWire';
import { WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';
import { startRelayServer, streamThroughDrop, type RelayServer } from '../support/relayServer';

const SERVER_KEY = 'sk-server-only-3f9a7c';
const QUESTION = 'Why do relays matter for browser apps?';
const messages = [{ role: 'user' as const, content: QUESTION }];

/** A relay of `config` on a plain Node server, its `onError` calls collected. */
type LoggedRelay = RelayServer & { errors: Array<{ error: unknown; phase: string }> };

async function startRelay(config: Omit<ChatRelayConfig<ProviderId>, 'onError'>): Promise<LoggedRelay> {
  const errors: Array<{ error: unknown; phase: string }> = [];
  const server = await startRelayServer([createChatRelay({ ...config, onError: (error, { phase }) => errors.push({ error, phase }) })]);
  return { ...server, errors };
}

describe("the relay: createChatRelay on the server, streamChat$('rxllm', …) in the page", () => {
  let mock: MockServer;
  beforeAll(async () => (mock = await startMockServer()));
  afterAll(() => mock.close());
  const upstream = () => ({ baseURL: mockBaseURL(mock, 'openai'), apiKey: SERVER_KEY, model: 'gpt-5-mini' });

  describe('a relay that keeps no streams', () => {
    let relay: LoggedRelay;
    beforeAll(async () => (relay = await startRelay({ provider: 'openai', options: upstream() })));
    afterAll(() => relay.close());

    test("the page gets the server's chunks as they were: the answer, its usage, its finish; the key stays on the server", async () => {
      const before = mock.requests.length;
      const page = await lastValueFrom(streamChat$('rxllm', messages, { baseURL: relay.url }).pipe(toResponse()));
      const direct = answerFor(messages);
      expect(page).toMatchObject({ provider: 'openai', content: direct.text, finishReason: 'stop' });
      expect(page.usage?.outputTokens).toBeGreaterThan(0);
      expect(mock.requests[before].headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
      expect(relay.written.some((bytes) => bytes.includes(SERVER_KEY))).toBe(false);
      // the wire: the start event, one event per chunk with its seq as id, then done
      const bytes = relay.written[relay.written.length - 1];
      expect(bytes.startsWith('event: stream\ndata: {"id":"')).toBe(true);
      expect(bytes).toContain('"resumable":false');
      expect(bytes.endsWith('event: done\ndata: {"finishReason":"stop"}\n\n')).toBe(true);
    });

    test('options the server allows reach the provider; the key, the base URL and headers are refused with a 400 naming them, values not echoed', async () => {
      const before = mock.requests.length;
      await lastValueFrom(streamChat$('rxllm', messages, { baseURL: relay.url, temperature: 0.3, maxTokens: 64 }).pipe(toResponse()));
      const body = mock.requests[before].body as Record<string, unknown>;
      expect([body.temperature, body.max_completion_tokens ?? body.max_tokens]).toEqual([0.3, 64]);

      const sent = mock.requests.length;
      const response = await fetch(relay.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages, options: { apiKey: 'sk-page-chosen', baseURL: 'http://evil.example/v1', headers: { 'x-a': 'b' }, temperature: 1 } }),
      });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { name: string; issues: Array<{ path: string; got: string }> } };
      expect(error.name).toBe('ConfigError');
      expect(error.issues.map((issue) => issue.path)).toEqual(['options.apiKey', 'options.baseURL', 'options.headers']);
      expect(JSON.stringify(error)).not.toContain('sk-page-chosen');
      expect(mock.requests.length).toBe(sent);
      // through the provider: an HttpError with that status, and the server's log heard of it
      const refused = await lastValueFrom(streamChat$('rxllm', messages, { baseURL: relay.url, extraBody: { model: 'o3' } })).catch((e: unknown) => e);
      expect(isHttpError(refused) && refused.status).toBe(400);
      expect(relay.errors.at(-1)).toMatchObject({ phase: 'request', error: { name: 'ConfigError' } });
    });

    test("a provider's refusal before the first chunk keeps its status; a failure after it is an error event; both reach the server's log", async () => {
      mock.queueFaults({ kind: 'status', status: 401 });
      const refused = await lastValueFrom(streamChat$('rxllm', messages, { baseURL: relay.url })).catch((e: unknown) => e);
      expect(isHttpError(refused) && refused.status).toBe(401);
      expect(relay.errors.at(-1)).toMatchObject({ phase: 'stream', error: { name: 'HttpError', status: 401 } });

      mock.queueFaults({ kind: 'error-event', afterChunks: 3 });
      const { chunks, error } = await collect(streamChat$('rxllm', messages, { baseURL: relay.url }));
      expect(chunks.length).toBeGreaterThanOrEqual(3);
      expect(error).toMatchObject({ name: 'ProviderStreamError', retryable: true });
      expect(relay.written.at(-1)).toContain('event: error\ndata: {"name":"ProviderStreamError"');
      expect(relay.errors.at(-1)).toMatchObject({ phase: 'stream', error: { name: 'ProviderStreamError' } });
    });


    test("the server's output option reaches the provider as its JSON Schema parameter; the page reads the JSON answer as content chunks, partialObjects and toObject work on them", async () => {
      const Person = t.type({ name: t.string, skills: t.array(t.string), address: t.type({ city: t.string }) });
      const structured = await startRelay({ provider: 'openai', options: { ...upstream(), output: { schema: Person, name: 'person' } } });
      try {
        const before = mock.requests.length;
        const chunks = await lastValueFrom(streamChat$('rxllm', messages, { baseURL: structured.url }).pipe(toArray()));
        // the provider was asked for the schema (strict, as the server's option says by default) …
        const body = mock.requests[before].body as { response_format?: { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } } };
        expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', strict: true, schema: { required: ['name', 'skills', 'address'] } } });
        // … and the page got its answer as content, chunk by chunk, which the operators read as they read a direct stream
        expect(chunks.filter((chunk) => chunk.content).length).toBeGreaterThan(5);
        const person = await lastValueFrom(from(chunks).pipe(toObject(Person)));
        expect(Person.is(person)).toBe(true);
        const partials = await lastValueFrom(from(chunks).pipe(partialObjects<t.TypeOf<typeof Person>>(), toArray()));
        expect(partials.length).toBeGreaterThan(3);
        expect(partials.at(-1)).toEqual(person);
        // a codec cannot cross the relay: the page's rxllm provider refuses `output` before any request
        const sent = mock.requests.length;
        const refused = await lastValueFrom(streamChat$('rxllm', messages, { baseURL: structured.url, output: { schema: Person } })).catch((e: unknown) => e);
        expect(isConfigError(refused)).toBe(true);
        expect(mock.requests.length).toBe(sent);
      } finally {
        await structured.close();
      }
    });

    test("tools that run themselves run on the server: the page streams the whole run, every step's chunks and the results, and toMessages gives the turns", async () => {
      const ran: string[] = [];
      const getWeather = tool({ name: 'get_weather', parameters: t.type({ city: t.string }), execute: ({ city }) => (ran.push(city), { city, sky: 'snow ❄', note: 'line one\n  indented' }) });
      const agent = await startRelay({ provider: 'openai', options: { ...upstream(), tools: [getWeather], maxSteps: 3 } });
      try {
        const before = mock.requests.length;
        const chunks = await lastValueFrom(streamChat$('rxllm', [{ role: 'user', content: 'Use get_weather for Oslo.' }], { baseURL: agent.url }).pipe(toArray()));
        expect(ran).toEqual(['Oslo']);
        expect(mock.requests.length - before).toBe(2);
        expect([...new Set(chunks.map((c) => c.metadata?.step))]).toEqual([0, 1]);
        const result = chunks.find((c) => c.metadata?.toolResult)?.metadata?.toolResult;
        expect(result).toMatchObject({ name: 'get_weather', content: '{"city":"Oslo","sky":"snow ❄","note":"line one\\n  indented"}' });
        const turns = await lastValueFrom(from(chunks).pipe(toMessages()));
        expect(turns.map((m) => m.role)).toEqual(['assistant', 'tool', 'assistant']);
        expect(turns[2].content).toBe(`The tool answered: ${result!.content}`);
      } finally {
        await agent.close();
      }
    });

    test('a dropped connection is continued through the relay (a continuation prompt): the answer whole, once', async () => {
      expect(await streamThroughDrop(relay, mock, messages, 6)).toBe(2);
    });
  });

  describe('a relay that keeps its streams', () => {
    let relay: LoggedRelay;
    let store: RelayStore;
    beforeAll(async () => {
      store = memoryRelayStore();
      relay = await startRelay({ provider: 'openai', options: upstream(), store });
    });
    afterAll(() => relay.close());

    test('a dropped connection resumes after the last chunk the page had: one provider request, the answer whole, nothing twice', async () => {
      expect(await streamThroughDrop(relay, mock, messages, 6)).toBe(1);
      // the reconnect named the stream and the last chunk the page had: the 6 writes that reached it were
      // the start event and the chunks of seq 0 to 4
      const reconnect = relay.exchanges.at(-1)!;
      const { id } = JSON.parse(/^event: stream\ndata: (.*)\n/.exec(relay.written.at(-2)!)![1]) as { id: string };
      expect(reconnect).toMatchObject({ method: 'POST', status: 200, completed: true, headers: { 'x-rxllm-stream': id, 'last-event-id': '4' } });
      expect(relay.written.at(-1)).toMatch(/^event: stream\ndata: \{"id":"[^"]+","resumable":true\}\n\nid: 5\n/);
    });


    test.each(Object.entries(WHITESPACE_ANSWERS))("%s, through a drop and a resume: every space, tab, blank line and line end as the provider sent it", async (_, answer) => {
      const kept = await startRelay({ provider: 'openai', options: { ...upstream(), headers: answerHeader(answer) }, store: memoryRelayStore() });
      try {
        for (const dropAfter of [4, 17]) expect(await streamThroughDrop(kept, mock, messages, dropAfter, answer)).toBe(1);
      } finally {
        await kept.close();
      }
    });

    test('a reconnect naming a stream the relay does not have is a 404', async () => {
      const response = await fetch(relay.url, { method: 'POST', headers: { 'content-type': 'application/json', 'last-event-id': '3', 'x-rxllm-stream': 'no-such-stream' }, body: JSON.stringify({ messages }) });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { name: string } }).error.name).toBe('StreamNotFoundError');
    });
  });

  // the provider paced (a chunk every 20 ms), so that the page leaves while it still streams
  test.each([
    ['keeps no streams: closing the connection ends the provider request', undefined],
    ['keeps its streams: leaving sends a DELETE, which cancels the provider request', memoryRelayStore()],
  ])("unsubscribing in the page aborts both hops — a relay that %s", async (_, store) => {
    const relay = await startRelay({ provider: 'openai', options: { ...upstream(), headers: { 'x-mock-chunk-delay-ms': '20' } }, store });
    try {
      const before = mock.requests.length;
      await lastValueFrom(streamChat$('rxllm', messages, { baseURL: relay.url }).pipe(take(3), toArray()));
      const end = await mock.requests[before].closed;
      expect(end.completed).toBe(false);
    } finally {
      await relay.close();
    }
  });

  test('events$ (NestJS @Sse): the start event, one event per chunk, then done', async () => {
    const relay = createChatRelay({ provider: 'openai', options: upstream(), streamId: () => 'stream-1' });
    const events = await lastValueFrom(relay.events$({ body: { messages } }).pipe(toArray()));
    expect(events[0]).toEqual({ type: 'stream', data: { id: 'stream-1', resumable: false } });
    expect(events.at(-1)).toEqual({ type: 'done', data: { finishReason: 'stop' } });
    expect(events.slice(1, -1).every((event, i) => event.id === String(i) && typeof event.data === 'object')).toBe(true);
  });
});
