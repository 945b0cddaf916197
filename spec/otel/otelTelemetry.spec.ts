import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as t from 'io-ts';
import { lastValueFrom, take, toArray } from 'rxjs';
import { otelTelemetry } from '../../otel';
import { isConfigError, streamChat$, toResponse, tool, type ChatMessage, type Chunk, type PriceTable, type ProviderId, type StreamMetrics, type Usage } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { WHITESPACE_ANSWER } from '../support/whitespaceAnswers';
import { otelHarness, spanText } from './otelHarness';

const PROVIDERS: readonly ProviderId[] = ['openai', 'azure', 'openai-responses', 'azure-responses', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama'];
const PROVIDER_NAME: Record<string, string> = {
  openai: 'openai',
  azure: 'azure.ai.openai',
  'openai-responses': 'openai',
  'azure-responses': 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  mistral: 'mistral_ai',
  perplexity: 'perplexity',
  lmstudio: 'lmstudio',
  ollama: 'ollama',
};
const FINISH: Record<string, string> = { stop: 'stop', length: 'length', tool_calls: 'tool_call', content_filter: 'content_filter', error: 'error' };
const KEY = 'sk-otel-SECRET-41c7e9';
const messages: ChatMessage[] = [
  { role: 'system', content: 'Answer briefly.' },
  { role: 'user', content: 'Tell me about streams, in a few sentences.' },
];

/** The one span a run made (and that it was ended once: the exporter sees each ended span once). */
function onlySpan(spans: ReadableSpan[]): ReadableSpan {
  expect(spans).toHaveLength(1);
  return spans[0];
}

describe('rxllm/otel on the mock server, with the real OpenTelemetry SDK', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const options = (id: ProviderId, more: object = {}) => ({
    baseURL: mockBaseURL(server, id),
    apiKey: KEY,
    ...(id === 'ollama' ? { model: 'llama3.2' } : {}),
    ...more,
  });
  const address = () => new URL(server.url);

  describe.each(PROVIDERS)('%s', (id) => {
    let otel: ReturnType<typeof otelHarness>;
    beforeEach(() => (otel = otelHarness()));
    afterEach(() => otel.shutdown());

    test('success: a CLIENT span `chat {model}` with the request, the response and its final usage; the four histograms', async () => {
      const chunks = await lastValueFrom(streamChat$(id, messages, options(id, { telemetry: otel.telemetry, temperature: 0.3, maxTokens: 200 })).pipe(toArray()));
      const response = await lastValueFrom(streamChat$(id, messages, options(id, { temperature: 0.3, maxTokens: 200 })).pipe(toResponse()));

      const span = onlySpan(otel.spans());
      const requestModel = span.attributes['gen_ai.request.model'];
      expect(span.name).toBe(requestModel ? `chat ${requestModel}` : 'chat');
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      const last = (pick: (c: Chunk) => unknown) => chunks.map(pick).filter((v) => v !== undefined).pop();
      const expected: Record<string, unknown> = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': PROVIDER_NAME[id],
        'gen_ai.request.stream': true,
        'gen_ai.request.temperature': 0.3,
        'gen_ai.request.max_tokens': 200,
        'server.address': address().hostname,
        'server.port': Number(address().port),
        'gen_ai.response.finish_reasons': [FINISH[response.finishReason!]],
        'gen_ai.usage.input_tokens': response.usage!.inputTokens,
        'gen_ai.usage.output_tokens': response.usage!.outputTokens,
      };
      if (response.id !== undefined) expected['gen_ai.response.id'] = response.id;
      if (response.model !== undefined) expected['gen_ai.response.model'] = response.model;
      expect(span.attributes).toMatchObject(expected);
      // the same answer twice from the deterministic mock: the span tells what the stream delivered
      expect(last((c) => c.id)).toBe(response.id);
      expect(response.usage!.inputTokens).toBeGreaterThan(0);
      expect(response.usage!.outputTokens).toBeGreaterThan(0);
      if (response.id === undefined) expect(span.attributes).not.toHaveProperty('gen_ai.response.id');
      expect(span.attributes['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));
      expect(span.attributes).not.toHaveProperty('error.type');
      expect(span.attributes).not.toHaveProperty('gen_ai.input.messages');
      expect(span.attributes).not.toHaveProperty('gen_ai.output.messages');
      // no prices, no cost
      expect(Object.keys(span.attributes).filter((k) => k.startsWith('rxllm.cost'))).toEqual([]);
      expect(span.events).toEqual([]);

      const histograms = await otel.histograms();
      const measured = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': PROVIDER_NAME[id],
        'server.address': address().hostname,
        'server.port': Number(address().port),
        ...(requestModel ? { 'gen_ai.request.model': requestModel } : {}),
        ...(response.model ? { 'gen_ai.response.model': response.model } : {}),
      };
      const tokens = histograms['gen_ai.client.token.usage'];
      expect(tokens.map((p) => [p.attributes, p.count, p.sum])).toEqual(
        expect.arrayContaining([
          [{ ...measured, 'gen_ai.token.type': 'input' }, 1, response.usage!.inputTokens],
          [{ ...measured, 'gen_ai.token.type': 'output' }, 1, response.usage!.outputTokens],
        ]),
      );
      expect(tokens).toHaveLength(2);
      expect(tokens[0].boundaries).toEqual([1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864]);
      for (const name of ['gen_ai.client.operation.duration', 'gen_ai.client.operation.time_to_first_chunk', 'gen_ai.client.operation.time_per_output_chunk']) {
        expect({ name, points: histograms[name].map((p) => [p.attributes, p.count]) }).toEqual({ name, points: [[measured, 1]] });
        expect(histograms[name][0].boundaries).toEqual([0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92]);
      }
    });

    test('an HTTP error: error.type is the status, the span status ERROR, ended once; the duration carries error.type', async () => {
      server.queueFaults({ kind: 'status', status: 503 });
      const { error } = await collect(streamChat$(id, messages, options(id, { telemetry: otel.telemetry })));
      server.clearFaults();
      expect(error).toBeDefined();
      const span = onlySpan(otel.spans());
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.status.message).toBe((error as Error).message);
      expect(span.attributes['error.type']).toBe('503');
      const duration = (await otel.histograms())['gen_ai.client.operation.duration'];
      expect(duration.map((p) => p.attributes['error.type'])).toEqual(['503']);
    });

    test('a stream cut mid-answer and continued: one span, a recovery event (attempt, kind, cause, delay), the summed final usage', async () => {
      server.queueFaults({ kind: 'cut', afterChars: 12 }, null);
      const chunks = await lastValueFrom(
        streamChat$(id, messages, options(id, { telemetry: otel.telemetry, streamRecovery: true, recovery: { delay: 0 } })).pipe(toArray()),
      );
      server.clearFaults();
      const final = chunks.filter((c) => c.usage).pop()!.usage!;
      const span = onlySpan(otel.spans());
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.events.map((e) => [e.name, e.attributes?.['rxllm.attempt'], e.attributes?.['rxllm.delay_ms']])).toEqual([['rxllm.recovery', 1, 0]]);
      const [event] = span.events;
      expect(event.attributes?.['error.type']).toEqual(expect.any(String));
      expect(event.attributes?.['rxllm.cause']).toEqual(expect.stringMatching(/./));
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(final.inputTokens);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(final.outputTokens);
      expect(spanText(span)).not.toContain(KEY);
    });

    test('unsubscribed mid-stream: the span ends once, not as an error, marked rxllm.cancelled', async () => {
      await lastValueFrom(streamChat$(id, messages, options(id, { telemetry: otel.telemetry })).pipe(take(2), toArray()));
      const span = onlySpan(otel.spans());
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['rxllm.cancelled']).toBe(true);
      expect(span.attributes).not.toHaveProperty('error.type');
      expect(span.attributes).not.toHaveProperty('gen_ai.response.finish_reasons');
      // no duration for a run the caller cut short
      expect((await otel.histograms())['gen_ai.client.operation.duration'] ?? []).toEqual([]);
    });
  });

  describe('content', () => {
    test('recordContent: the conventions’ gen_ai.input.messages and gen_ai.output.messages, as JSON, the text exact (code, YAML, blank lines, tabs, emoji, CJK)', async () => {
      const otel = otelHarness({ recordContent: true });
      // a question and an answer as real ones are: indentation, blank lines and trailing spaces must come back byte for byte
      const question = 'Fix this:\n\n```python\ndef f(xs):\n    for x in xs:\n\tprint(x)  \n```\n\n流式？ 👍🏽';
      const asked: ChatMessage[] = [messages[0], { role: 'user', content: question }];
      try {
        const headers = { 'x-mock-answer': Buffer.from(WHITESPACE_ANSWER).toString('base64') };
        const response = await lastValueFrom(streamChat$('openai', asked, options('openai', { telemetry: otel.telemetry, headers })).pipe(toResponse()));
        expect(response.content).toBe(WHITESPACE_ANSWER);
        const span = onlySpan(otel.spans());
        expect(JSON.parse(String(span.attributes['gen_ai.input.messages']))).toEqual([
          { role: 'system', parts: [{ type: 'text', content: 'Answer briefly.' }] },
          { role: 'user', parts: [{ type: 'text', content: question }] },
        ]);
        expect(JSON.parse(String(span.attributes['gen_ai.output.messages']))).toEqual([
          { role: 'assistant', parts: [{ type: 'text', content: WHITESPACE_ANSWER }], finish_reason: 'stop' },
        ]);
        expect(JSON.stringify(span.attributes)).not.toContain(KEY);
      } finally {
        await otel.shutdown();
      }
    });

    test('an abort through the caller’s signal is cancelled, not an error', async () => {
      const otel = otelHarness();
      try {
        const controller = new AbortController();
        server.queueFaults({ kind: 'hang' });
        const run = collect(streamChat$('openai', messages, options('openai', { telemetry: otel.telemetry, signal: controller.signal })));
        await new Promise((resolve) => setTimeout(resolve, 50));
        controller.abort();
        const { error } = await run;
        server.clearFaults();
        expect((error as Error).name).toBe('AbortError');
        const span = onlySpan(otel.spans());
        expect(span.status.code).toBe(SpanStatusCode.UNSET);
        expect(span.attributes['rxllm.cancelled']).toBe(true);
      } finally {
        await otel.shutdown();
      }
    });
  });

  describe('cost (prices)', () => {
    /** USD per million tokens, round figures so that the expected costs are plain arithmetic */
    const prices: PriceTable = { openai: { 'gpt-4o-mini*': { input: 2, output: 8 } } };
    const costAttributesOf = (span: ReadableSpan) => Object.fromEntries(Object.entries(span.attributes).filter(([k]) => k.startsWith('rxllm.cost')));
    /** the final usage and the last metrics of a run (trackMetrics with the same prices: the stream's own cost) */
    async function run(otel: ReturnType<typeof otelHarness>, chat: ChatMessage[], more: object) {
      let metrics: StreamMetrics | undefined;
      const chunks = await lastValueFrom(
        streamChat$('openai', chat, options('openai', { telemetry: otel.telemetry, trackMetrics: { prices }, onMetrics: (m: StreamMetrics) => (metrics = m), ...more })).pipe(toArray()),
      );
      return { chunks, usage: chunks.filter((c) => c.usage).pop()!.usage as Usage, metrics: metrics! };
    }

    test('a recovered run: rxllm.cost.total / input / output (USD) from the final usage, summed over the attempts, as the stream’s metrics.cost', async () => {
      const otel = otelHarness({ prices });
      try {
        server.queueFaults({ kind: 'cut', afterChars: 12 }, null);
        const { chunks, usage, metrics } = await run(otel, messages, { streamRecovery: true, recovery: { delay: 0 } });
        server.clearFaults();
        const span = onlySpan(otel.spans());
        expect(span.events.map((e) => e.name)).toEqual(['rxllm.recovery']);
        expect(chunks.map((c) => c.model).filter(Boolean).pop()).toMatch(/^gpt-4o-mini/);
        // the final usage as the stream reports it (recovery sums what each attempt reported); the span's cost is that usage's, as the stream's metrics.cost
        expect(metrics.recoveries).toBe(1);
        // the mock reports cached and reasoning counts (0): their parts are there, at the input and output prices
        expect(usage).toMatchObject({ cachedInputTokens: expect.any(Number), reasoningTokens: expect.any(Number) });
        const cached = usage.cachedInputTokens!;
        const reasoning = usage.reasoningTokens!;
        const parts = {
          'rxllm.cost.input': ((usage.inputTokens! - cached) * 2) / 1e6,
          'rxllm.cost.cached_input': (cached * 2) / 1e6,
          'rxllm.cost.output': ((usage.outputTokens! - reasoning) * 8) / 1e6,
          'rxllm.cost.reasoning': (reasoning * 8) / 1e6,
        };
        const total = Object.values(parts).reduce((a, b) => a + b, 0);
        expect(costAttributesOf(span)).toEqual({
          'rxllm.cost.total': expect.closeTo(total, 12),
          ...Object.fromEntries(Object.entries(parts).map(([k, v]) => [k, expect.closeTo(v, 12)])),
        });
        expect(span.attributes['rxllm.cost.total']).toBe(metrics.cost!.total);
        expect(span.attributes['rxllm.cost.total']).toBeGreaterThan(0);
      } finally {
        await otel.shutdown();
      }
    });

    test('a tool run: one span whose cost is that of the steps together', async () => {
      const otel = otelHarness({ prices });
      try {
        const getWeather = tool({ name: 'get_weather', description: 'The weather in a city', parameters: t.type({ city: t.string }), execute: async ({ city }) => ({ city, celsius: -3 }) });
        const { usage, metrics } = await run(otel, [{ role: 'user', content: 'Use get_weather for Oslo.' }], { tools: [getWeather], maxSteps: 2 });
        const span = onlySpan(otel.spans());
        expect(metrics.steps).toHaveLength(2);
        const stepsTotal = metrics.steps!.reduce((sum, step) => sum + step.cost!.total, 0);
        expect(span.attributes['rxllm.cost.total']).toBeCloseTo(stepsTotal, 12);
        expect(span.attributes['rxllm.cost.total']).toBeCloseTo((usage.inputTokens! * 2 + usage.outputTokens! * 8) / 1e6, 12);
        expect(span.attributes['rxllm.cost.total']).toBeGreaterThan(metrics.steps![0].cost!.total);
      } finally {
        await otel.shutdown();
      }
    });

    test('no price for the model, or a price function that answers undefined: no cost attribute', async () => {
      for (const table of [{ anthropic: { '*': { input: 3, output: 15 } } }, { openai: { 'gpt-5*': { input: 1.25, output: 10 } } }, { openai: () => undefined }] as PriceTable[]) {
        const otel = otelHarness({ prices: table });
        try {
          await lastValueFrom(streamChat$('openai', messages, options('openai', { telemetry: otel.telemetry })).pipe(toArray()));
          const span = onlySpan(otel.spans());
          expect(span.attributes['gen_ai.usage.output_tokens']).toBeGreaterThan(0);
          expect(costAttributesOf(span)).toEqual({});
        } finally {
          await otel.shutdown();
        }
      }
    });

    test('a price function that answers nonsense does not break the run: the answer arrives, the span has no cost', async () => {
      const otel = otelHarness({ prices: { openai: (() => 'a lot') as unknown as PriceTable[string] } });
      try {
        const response = await lastValueFrom(streamChat$('openai', messages, options('openai', { telemetry: otel.telemetry })).pipe(toResponse()));
        expect(response.finishReason).toBe('stop');
        const span = onlySpan(otel.spans());
        expect(span.status.code).toBe(SpanStatusCode.UNSET);
        expect(costAttributesOf(span)).toEqual({});
      } finally {
        await otel.shutdown();
      }
    });

    test('prices that are not a PriceTable fail when otelTelemetry is called, naming the path', () => {
      let error: unknown;
      try {
        otelTelemetry({ prices: { openai: { 'gpt-5*': { input: 1.25, outptu: 10 } } } as unknown as PriceTable });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(/^Invalid otelTelemetry config: prices\.openai\.gpt-5\*/);
    });
  });
});
