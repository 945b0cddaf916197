// A user's Node process for spec/otel/otlpExport.spec.ts: the built package (dist/) with the real
// OpenTelemetry SDK exporting over OTLP/HTTP — traces batched to OTLP_URL/v1/traces, metrics to
// OTLP_URL/v1/metrics — around three chats to the mock server (BASE_URLS, JSON by provider): OpenAI (temperature 0.3,
// maxTokens 200), OpenAI again with stream recovery (the test queues a cut for it), Anthropic. The
// key is API_KEY. It flushes both providers, then prints one JSON line: each chat's final usage.
// (A child process because the exporter loads `http` with a dynamic import(), which jest's module
// runtime refuses without --experimental-vm-modules; a real process is what a user runs anyway.)
const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http');
const { OTLPMetricExporter } = require('@opentelemetry/exporter-metrics-otlp-http');
const { BasicTracerProvider, BatchSpanProcessor } = require('@opentelemetry/sdk-trace-base');
const { MeterProvider, PeriodicExportingMetricReader } = require('@opentelemetry/sdk-metrics');
const { lastValueFrom, toArray } = require('rxjs');
const { streamChat$ } = require('../../../dist/index.cjs');
const { otelTelemetry } = require('../../../dist/otel.cjs');

async function main() {
  const { OTLP_URL, API_KEY } = process.env;
  const baseURL = JSON.parse(process.env.BASE_URLS);
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${OTLP_URL}/v1/traces` }))] });
  const meterProvider = new MeterProvider({
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: `${OTLP_URL}/v1/metrics` }), exportIntervalMillis: 3_600_000 })],
  });
  const prices = { openai: { 'gpt-4o-mini*': { input: 2, output: 8 } } };
  const telemetry = otelTelemetry({ tracerProvider, meterProvider, prices });
  const messages = [{ role: 'user', content: 'Tell me about streams, in a few sentences.' }];
  const usageOf = async (provider, options) => {
    const chunks = await lastValueFrom(streamChat$(provider, messages, { apiKey: API_KEY, telemetry, ...options }).pipe(toArray()));
    return chunks.filter((c) => c.usage).pop().usage;
  };
  const usage = {
    plain: await usageOf('openai', { baseURL: baseURL.openai, temperature: 0.3, maxTokens: 200 }),
    recovered: await usageOf('openai', { baseURL: baseURL.openai, streamRecovery: true, recovery: { delay: 0 } }),
    anthropic: await usageOf('anthropic', { baseURL: baseURL.anthropic }),
  };
  await tracerProvider.forceFlush();
  await meterProvider.forceFlush();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
  process.stdout.write(`${JSON.stringify({ usage })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
