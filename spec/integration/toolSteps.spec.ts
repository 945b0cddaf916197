import * as t from 'io-ts';
import { Agent } from 'node:http';
import { lastValueFrom, of, Subject, takeUntil, toArray } from 'rxjs';
import { streamChat$, tool, toMessages, toResponse, type ChatMessage, type ProviderId, type StreamMetrics, type ToolDefinition } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { toolResultsSent } from '../support/toolResultsSent';

/** Every provider that takes tools, as in the hand-written loop (spec/integration/toolLoop.spec.ts): thinking on where the API has it, so the mock enforces what goes back. */
const CASES: Array<{ id: ProviderId; label?: string; extra?: object }> = [
  { id: 'openai' },
  { id: 'azure' },
  { id: 'openai-responses' },
  { id: 'azure-responses' },
  { id: 'openai-responses', label: 'openai-responses, reasoning sealed (store: false)', extra: { extraBody: { reasoning: { summary: 'auto' }, store: false, include: ['reasoning.encrypted_content'] } } },
  { id: 'anthropic', extra: { model: 'claude-sonnet-4-6', thinking: { budgetTokens: 2048 }, maxTokens: 8192 } },
  { id: 'gemini', extra: { model: 'gemini-3-pro-preview' } },
  { id: 'mistral' },
  { id: 'lmstudio' },
  { id: 'ollama', extra: { model: 'llama3.2' } },
];
const cases = CASES.map((c) => ({ ...c, label: c.label ?? c.id }));

/** A tool's answer with the white space real ones have: indented YAML, a blank line, CJK and emoji. */
const TIME = 'city: Oslo\ntime:\n  local: "17:05"\n  zone: Europe/Oslo\n\nnote: 夕方 🌆\n';
const WEATHER = { city: 'Oslo', celsius: -3, sky: 'snow ❄' };

/**
 * Four tools: a codec and a Promise; a JSON Schema and an Observable; a codec the model's arguments
 * fail (its `units` is an enum the mock model fills with a word of the prompt); one that throws.
 */
function weatherTools() {
  const forecast = jest.fn();
  const tools: ToolDefinition[] = [
    tool({ name: 'get_weather', description: 'The weather in a city', parameters: t.type({ city: t.string }), execute: async ({ city }) => ({ ...WEATHER, city }) }),
    {
      name: 'get_time',
      description: 'The local time in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      execute: () => of('…', TIME),
    },
    tool({ name: 'get_forecast', description: 'The forecast', parameters: t.type({ city: t.string, units: t.keyof({ celsius: null, fahrenheit: null }) }), execute: forecast }),
    tool({
      name: 'get_alerts',
      description: 'Weather alerts',
      parameters: t.type({ city: t.string }),
      execute: () => {
        throw new Error('the alert service is down');
      },
    }),
  ];
  return { tools, forecast };
}

const QUESTION: ChatMessage[] = [
  { role: 'system', content: 'Answer with the tools.' },
  { role: 'user', content: 'Use get_weather and get_time for Oslo, then get_forecast and get_alerts for Oslo.' },
];

describe('tools that run themselves: maxSteps runs the tool rounds as one stream, on every provider', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());

  test.each(cases)('$label: two tool steps (two parallel calls each), a codec mismatch and a throw sent back as error results, then the answer', async ({ id, extra }) => {
    const { tools, forecast } = weatherTools();
    const options = { baseURL: mockBaseURL(server, id), apiKey: 'k-tools', tools, maxSteps: 5, ...extra };
    const metrics: StreamMetrics[] = [];
    const before = server.requests.length;
    const chunks = await lastValueFrom(streamChat$(id, QUESTION, { ...options, onMetrics: (m) => metrics.push(m) }).pipe(toArray()));

    // one stream: seq contiguous, three steps, four results in between
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect([...new Set(chunks.map((c) => c.metadata?.step))]).toEqual([0, 1, 2]);
    const results = chunks.filter((c) => c.metadata?.toolResult).map((c) => c.metadata!.toolResult!);
    expect(results.map((r) => r.name).sort()).toEqual(['get_alerts', 'get_forecast', 'get_time', 'get_weather']);
    expect(forecast).not.toHaveBeenCalled();

    // what went back, in each API's own form: the results of step 0 in the second request, all four in the third
    const requests = server.requests.slice(before);
    expect(requests).toHaveLength(3);
    const weather = JSON.stringify(WEATHER);
    const badUnits = 'The arguments of get_forecast do not match its parameters: units: expected "celsius" | "fahrenheit", got "Oslo"';
    const marked = id === 'anthropic' || id === 'gemini' ? true : undefined;
    expect(toolResultsSent(id, requests[1].body as object).map((r) => [r.content, r.isError])).toEqual([
      [weather, undefined],
      [TIME, undefined],
    ]);
    expect(toolResultsSent(id, requests[2].body as object).map((r) => [r.content, r.isError])).toEqual([
      [weather, undefined],
      [TIME, undefined],
      [badUnits, marked],
      ['get_alerts failed: the alert service is down', marked],
    ]);
    // each result answers its call, by the call's id (Gemini: its generated ids are not sent, the name is)
    const calls = results.map((r) => (id === 'gemini' && r.toolCallId.startsWith('gemini-call-') ? r.name : r.toolCallId));
    expect(toolResultsSent(id, requests[2].body as object).map((r) => r.answers).sort()).toEqual(calls.sort());

    // the answer reports what the last results said; the run folds as one answer
    const response = await lastValueFrom(of(...chunks).pipe(toResponse()));
    expect(response.finishReason).toBe('stop');
    expect(response.content).toMatch(/^The tools answered: /);
    expect(response.content).toContain('the alert service is down');
    expect(response.toolCalls.map((c) => c.index)).toEqual([0, 1, 2, 3]);

    // metrics: each step on its own, the run overall; the usage summed over the three requests
    const last = metrics[metrics.length - 1];
    expect(last.status).toBe('completed');
    expect(last.steps?.map((s) => [s.step, s.toolResults])).toEqual([[0, 2], [1, 2], [2, 0]]);
    expect(last.steps!.every((s) => s.timeToFirstChunkMs !== undefined && s.chunksReceived > 0)).toBe(true);
    expect(last.outputTokens).toBe(last.steps!.reduce((n, s) => n + s.outputTokens, 0));
    expect(response.usage?.outputTokens).toBe(last.outputTokens);

    // toMessages gives the turns the run sent and its answer: the API takes them as the history of a next question
    const turns = await lastValueFrom(of(...chunks).pipe(toMessages()));
    expect(turns.map((m) => m.role)).toEqual(['assistant', 'tool', 'tool', 'assistant', 'tool', 'tool', 'assistant']);
    const next = await lastValueFrom(
      streamChat$(id, [...QUESTION, ...turns, { role: 'user', content: 'Thanks. Now use get_weather for Bergen.' }], { ...options, tools: tools.map(({ execute: _e, ...plain }) => plain) }).pipe(toResponse()),
    );
    expect(next.toolCalls.map((c) => c.arguments)).toEqual([{ city: 'Bergen' }]);
  });

  test.each(cases)('$label: unsubscribing while a tool runs aborts it; no further request, no open socket', async ({ id, extra }) => {
    const started = new Subject<void>();
    const signals: AbortSignal[] = [];
    const weather = tool({
      name: 'get_weather',
      parameters: t.type({ city: t.string }),
      execute: (_args, { signal }) => {
        signals.push(signal);
        started.next();
        return new Promise(() => undefined);
      },
    });
    const before = server.requests.length;
    // no keep-alive pool: a socket still open after the run is one the run left behind
    const httpAgent = new Agent({ keepAlive: false });
    const chunks = await lastValueFrom(
      streamChat$(id, [{ role: 'user', content: 'Use get_weather for Oslo.' }], { baseURL: mockBaseURL(server, id), apiKey: 'k', tools: [weather], maxSteps: 5, httpAgent, ...extra }).pipe(
        takeUntil(started),
        toArray(),
      ),
    );
    expect(signals.map((s) => s.aborted)).toEqual([true]);
    expect(chunks.at(-1)?.finishReason ?? chunks.at(-2)?.finishReason).toBe('tool_calls');
    expect(server.requests.length - before).toBe(1);
    const until = Date.now() + 2000;
    while (server.openConnections() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(server.openConnections()).toBe(0);
  });

  test.each(['openai', 'anthropic'] as const)('%s: recovery works inside a step: a connection dropped in the answer after the tool is continued, the text whole once', async (id) => {
    const { tools } = weatherTools();
    const extra = id === 'anthropic' ? { model: 'claude-sonnet-4-6' } : {};
    const run = () =>
      lastValueFrom(streamChat$(id, [{ role: 'user', content: 'Use get_weather for Oslo.' }], { baseURL: mockBaseURL(server, id), apiKey: 'k', tools, maxSteps: 3, recovery: { delay: 1 }, ...extra }).pipe(toArray()));
    // the answer after the tool, whole: how long its body is
    await run();
    const whole = server.requests[server.requests.length - 1];
    await whole.closed;
    // the first request answers; the second (after the tool) breaks 60% into its body, inside the text
    server.queueFaults(null, { kind: 'reset', afterBytes: Math.floor(whole.bytesWritten * 0.6) });
    const before = server.requests.length;
    const chunks = await run();
    const answer = chunks.filter((c) => c.metadata?.step === 1 && c.content).map((c) => c.content).join('');
    expect(answer).toBe(`The tool answered: ${JSON.stringify(WEATHER)}`);
    expect(chunks.some((c) => c.metadata?.step === 1 && c.metadata.recovery === 1)).toBe(true);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    // the tool ran once; three requests: step 0, step 1 broken, its continuation
    expect(chunks.filter((c) => c.metadata?.toolResult)).toHaveLength(1);
    expect(server.requests.length - before).toBe(3);
  });

  test('a tool that cannot run is a ConfigError before any request: a codec without a JSON Schema, a schema its arguments cannot be checked against, an execute that is no function', async () => {
    const ask = (tools: unknown) => lastValueFrom(streamChat$('openai', [{ role: 'user', content: 'Use get_weather.' }], { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k', tools, maxSteps: 2 } as object)).catch((e: unknown) => e);
    const before = server.requests.length;
    const messages = [
      await ask([{ name: 'get_weather', parameters: t.type({ city: t.string, raw: t.unknown }), execute: () => 1 }]),
      await ask([{ name: 'get_weather', parameters: { type: 'array', items: { $ref: '#/$defs/stop' } }, execute: () => 1 }]),
      await ask([{ name: 'get_weather', execute: 'https://example.com/weather' }]),
    ].map((error) => (error as Error).message);
    expect(messages[0]).toMatch(/^Invalid options: tools\.0\.parameters\.raw: expected a codec rxllm can describe as JSON Schema/);
    expect(messages[1]).toMatch(/^Invalid options: tools\.0\.parameters\.items\.\$ref: expected a \$ref that resolves within this schema/);
    expect(messages[2]).toBe('Invalid options: tools.0.execute: expected a function (args, { signal }) => value, Promise or Observable, got "https://example.com/weather"');
    expect(server.requests.length).toBe(before);
    // a tool without execute is sent as before, its schema as it is, unchecked
    const plain = await lastValueFrom(streamChat$('openai', [{ role: 'user', content: 'Use get_weather.' }], { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k', tools: [{ name: 'get_weather', parameters: { type: 'array', items: [{ type: 'string' }] } }] }).pipe(toResponse()));
    expect(plain.finishReason).toBe('tool_calls');
  });
});
