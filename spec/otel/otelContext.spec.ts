import { context, SpanKind, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import * as t from 'io-ts';
import { lastValueFrom, toArray } from 'rxjs';
import { streamChat$, tool, type ChatMessage } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { otelHarness } from './otelHarness';

/**
 * The chat span as the parent of what the run does, with a context manager (async hooks) and the
 * HTTP instrumentation active: the HTTP client span of each request (the retried one too), and the
 * active span inside a tool's `execute`.
 */
describe('rxllm/otel: the chat span is the context of the run', () => {
  const otel = otelHarness();
  const contextManager = new AsyncLocalStorageContextManager().enable();
  let unregister: () => void;
  let server: MockServer;
  beforeAll(async () => {
    context.setGlobalContextManager(contextManager);
    unregister = registerInstrumentations({ tracerProvider: otel.tracerProvider, instrumentations: [new HttpInstrumentation()] });
    server = await startMockServer();
  });
  afterAll(async () => {
    await server.close();
    unregister();
    context.disable();
    await otel.shutdown();
  });

  const spansSince = (n: number) => otel.spans().slice(n);
  const chatSpan = (spans: ReadableSpan[]) => {
    const chats = spans.filter((s) => s.name.startsWith('chat'));
    expect(chats).toHaveLength(1);
    return chats[0];
  };
  /** the HTTP client spans the instrumentation made for the requests to the mock server */
  const httpClientSpans = (spans: ReadableSpan[]) =>
    spans.filter((s) => s.kind === SpanKind.CLIENT && (s.attributes['http.request.method'] ?? s.attributes['http.method']) !== undefined);

  test('the HTTP request’s client span (axios over Node’s http) is a child of the chat span, the retried request’s too', async () => {
    const before = otel.spans().length;
    server.queueFaults({ kind: 'status', status: 503, retryAfter: '0' }, null);
    await lastValueFrom(
      streamChat$('openai', [{ role: 'user', content: 'Hello there' }], {
        baseURL: mockBaseURL(server, 'openai'),
        apiKey: 'sk-context',
        telemetry: otel.telemetry,
        streamRecovery: true,
        recovery: { delay: 0 },
      }).pipe(toArray()),
    );
    server.clearFaults();
    const spans = spansSince(before);
    const chat = chatSpan(spans);
    expect(chat.events.map((e) => [e.name, e.attributes?.['error.type']])).toEqual([['rxllm.retry', '503']]);
    const requests = httpClientSpans(spans);
    expect(requests).toHaveLength(2);
    for (const request of requests) {
      expect(request.spanContext().traceId).toBe(chat.spanContext().traceId);
      expect(request.parentSpanContext?.spanId).toBe(chat.spanContext().spanId);
    }
  });

  test('a tool run is one chat span; each tool’s execute runs inside it', async () => {
    const before = otel.spans().length;
    const seen: Array<string | undefined> = [];
    const question: ChatMessage[] = [{ role: 'user', content: 'Use get_weather for Oslo.' }];
    const tools = [
      tool({
        name: 'get_weather',
        description: 'The weather in a city',
        parameters: t.type({ city: t.string }),
        execute: async ({ city }) => {
          seen.push(trace.getActiveSpan()?.spanContext().spanId);
          return { city, celsius: -3 };
        },
      }),
    ];
    const chunks = await lastValueFrom(
      streamChat$('openai', question, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-context', tools, maxSteps: 2, telemetry: otel.telemetry }).pipe(toArray()),
    );
    expect(chunks.some((c) => c.metadata?.toolResult)).toBe(true);
    const spans = spansSince(before);
    const chat = chatSpan(spans);
    expect(seen).toEqual([chat.spanContext().spanId]);
    // both steps' requests under the one span; the usage on it is the run's, summed over the steps
    const requests = httpClientSpans(spans);
    expect(requests).toHaveLength(2);
    for (const request of requests) expect(request.parentSpanContext?.spanId).toBe(chat.spanContext().spanId);
    expect(chat.attributes['gen_ai.usage.output_tokens']).toBe(chunks.filter((c) => c.usage).pop()!.usage!.outputTokens);
    expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });
});
