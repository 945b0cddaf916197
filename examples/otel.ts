/**
 * OpenTelemetry: the traces and metrics of three chats sent to an OTLP/HTTP endpoint (a collector,
 * Jaeger, Grafana Tempo/Mimir, Honeycomb, …) — a plain answer, one whose connection drops mid-answer
 * and is continued (a `rxllm.recovery` event on its span), and a tool run over two steps (one span for
 * the whole run). With your `prices`, each span carries what the answer cost (`rxllm.cost.total`,
 * USD). The chats go to the mock server; the endpoint is `options.endpoint`, else
 * `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318` (a collector's OTLP/HTTP port).
 * Run it: `node examples/run.cjs otel` (with a collector listening, e.g.
 * `docker run -p 4318:4318 otel/opentelemetry-collector`).
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import * as t from 'io-ts';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse, tool, type ChatMessage, type ChatResponse, type PriceTable } from '../lib';
import { otelTelemetry } from '../otel';
import { mockBaseURL, startMockServer, type MockServer } from '../testing';

export const question: ChatMessage[] = [{ role: 'user', content: 'Tell me about streams, in a few sentences.' }];
export const toolQuestion: ChatMessage[] = [{ role: 'user', content: 'Use get_weather for Oslo.' }];

/**
 * Your prices, USD per million tokens, from each provider's pricing page (rxllm ships none; these
 * figures are for illustration). The mock server answers as `gpt-4o-mini`.
 */
export const prices: PriceTable = { openai: { 'gpt-4o-mini*': { input: 0.15, cachedInput: 0.075, output: 0.6 } } };

export interface OtelOptions {
  /** the OTLP/HTTP endpoint (default `OTEL_EXPORTER_OTLP_ENDPOINT`, else `http://localhost:4318`); traces go to `/v1/traces`, metrics to `/v1/metrics` */
  endpoint?: string;
  /** the mock server to use (default: one started here); its fault queue must be free */
  server?: MockServer;
  log?: (line: string) => void;
}

/** Runs the three chats with OpenTelemetry on, then flushes the traces and metrics to the endpoint; returns the answers. */
export async function main(options: OtelOptions = {}): Promise<{ endpoint: string; answers: Record<'plain' | 'recovered' | 'tool', ChatResponse> }> {
  const log = options.log ?? (() => {});
  const endpoint = (options.endpoint ?? process.env.OTEL_EXPORTER_OTLP_ENDPOINT ?? 'http://localhost:4318').replace(/\/$/, '');
  const server = options.server ?? (await startMockServer({ chunkDelayMs: 2 }));

  // the SDK, by hand (NodeSDK from @opentelemetry/sdk-node does the same in one object): a resource
  // naming the service, traces batched to /v1/traces, metrics read on demand (here: at the flush) to
  // /v1/metrics, and a context manager so that the HTTP request and the tools run in the chat span
  const resource = resourceFromAttributes({ 'service.name': 'rxllm-example' });
  const tracerProvider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }))] });
  const meterProvider = new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${endpoint}/v1/metrics` }), exportIntervalMillis: 60_000 })],
  });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const telemetry = otelTelemetry({ tracerProvider, meterProvider, prices });
  const chat = { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-example-not-a-key', telemetry };

  try {
    const plain = await lastValueFrom(streamChat$('openai', question, chat).pipe(toResponse()));
    log(`plain: ${plain.usage?.outputTokens} output tokens\n`);

    // the next answer breaks off after 40 characters; the continuation is answered cleanly
    server.queueFaults({ kind: 'cut', afterChars: 40 }, null);
    const recovered = await lastValueFrom(streamChat$('openai', question, { ...chat, streamRecovery: true, recovery: { delay: 20 } }).pipe(toResponse()));
    log(`recovered: continued after a cut, ${recovered.content.length} characters\n`);

    const getWeather = tool({
      name: 'get_weather',
      description: 'The weather in a city, now',
      parameters: t.type({ city: t.string }),
      execute: async ({ city }) => ({ city, celsius: -3, sky: 'snow' }),
    });
    const toolRun = await lastValueFrom(streamChat$('openai', toolQuestion, { ...chat, tools: [getWeather], maxSteps: 2 }).pipe(toResponse()));
    log(`tool: ${toolRun.content}\n`);

    // before the process ends: everything recorded goes out now
    await tracerProvider.forceFlush();
    await meterProvider.forceFlush();
    log(`sent 3 spans and the gen_ai.client.* histograms to ${endpoint}\n`);
    return { endpoint, answers: { plain, recovered, tool: toolRun } };
  } finally {
    server.clearFaults();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    context.disable();
    if (!options.server) await server.close();
  }
}
