import * as t from 'io-ts';
import {
  context,
  diag,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  ValueType,
  type Attributes,
  type Histogram,
  type Meter,
  type MeterProvider,
  type TracerProvider,
} from '@opentelemetry/api';
import { checkConfig } from '../lib/codec/checkConfig';
import { createResponseAccumulator, type ResponseAccumulator } from '../lib/responseAccumulator';
import { PriceTable } from '../lib/types/priceTable';
import type { Chunk } from '../lib/types/chunk';
import type { FinishReason } from '../lib/types/finishReason';
import type { Telemetry, TelemetryRequest, TelemetryRun } from '../lib/types/telemetry';
import type { Usage } from '../lib/types/usage';
import { costAttributes } from './costAttributes';
import { errorMessage, errorType } from './errorType';
import { genAiFinishReason } from './genAiFinishReason';
import { genAiInputMessages, genAiOutputMessages } from './genAiMessages';
import { genAiProviderName } from './genAiProviderName';

/** How `otelTelemetry` records: the providers to use, whether message contents go on the span, and your prices. */
export interface OtelTelemetryConfig {
  /** the tracer provider (default: the global one, `trace.getTracerProvider()`) */
  tracerProvider?: TracerProvider;
  /** the meter provider (default: the global one, `metrics.getMeterProvider()`, read at the first run) */
  meterProvider?: MeterProvider;
  /**
   * record the messages sent and the answer as the conventions' opt-in `gen_ai.input.messages` and
   * `gen_ai.output.messages` (default false: they may hold personal data). Never the API key or a header.
   */
  recordContent?: boolean;
  /**
   * your prices, per provider and model (USD per million tokens; see `PriceTable`): the run's cost,
   * from its final usage, as the span attributes `rxllm.cost.total`, `rxllm.cost.input`, … (USD).
   * No prices, or none for the model: no cost attribute (rxllm has no prices of its own)
   */
  prices?: PriceTable;
}

/** What is checked of the configuration when `otelTelemetry` is called (the providers are the SDK's objects). */
const CheckedConfig = t.partial({ prices: PriceTable }, '{ tracerProvider?, meterProvider?, recordContent?, prices? }');

/** The instrumentation scope. */
const SCOPE = 'rxllm';
/** The conventions' bucket advice for the token histogram, and for the three timings (seconds). */
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SECONDS_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

/** The GenAI client metrics. */
interface Instruments {
  tokenUsage: Histogram;
  duration: Histogram;
  timeToFirstChunk: Histogram;
  timePerOutputChunk: Histogram;
}

/**
 * OpenTelemetry for `streamChat$`'s `telemetry` option, after the GenAI semantic conventions
 * (docs/observability.md): a CLIENT span `chat {model}` per run — the request's model, set
 * parameters, server, the response's id, model, finish reasons and final usage, the time to first
 * chunk, an event per retry (`rxllm.retry`) and continuation (`rxllm.recovery`), `error.type` and
 * status ERROR on failure, and with `prices` the run's cost (`rxllm.cost.total`, USD) — and the
 * histograms `gen_ai.client.token.usage`, `gen_ai.client.operation.duration`, `gen_ai.client.operation.time_to_first_chunk` and
 * `gen_ai.client.operation.time_per_output_chunk`. The run is subscribed inside the span's context,
 * so an HTTP instrumentation's request span, a retry's and a tool's work are its children.
 *
 * @example
 * import { streamChat$ } from 'rxllm';
 * import { otelTelemetry } from 'rxllm/otel';
 * const telemetry = otelTelemetry(); // the global tracer and meter providers
 * streamChat$('openai', [{ role: 'user', content: 'Hi' }], { telemetry }).subscribe();
 *
 * @example
 * // the cost of each run on its span (rxllm.cost.total, USD), at your prices
 * const prices: PriceTable = { openai: { 'gpt-5-mini*': { input: 0.25, cachedInput: 0.025, output: 2 } } };
 * streamChat$('openai', messages, { model: 'gpt-5-mini', telemetry: otelTelemetry({ prices }) }).subscribe();
 *
 * @param config the providers (default the global ones), `recordContent` (default false) and `prices`
 * @throws ConfigError when `prices` is not a `PriceTable` (`Invalid otelTelemetry config: prices.openai.gpt-5*.output: …`)
 */
export function otelTelemetry(config: OtelTelemetryConfig = {}): Telemetry {
  const { prices } = checkConfig(CheckedConfig, config, 'otelTelemetry config');
  const { recordContent = false } = config;
  const tracer = (config.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
  let instruments: Instruments | undefined;
  return {
    start(request) {
      instruments ??= instrumentsOf((config.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE));
      return startRun(request, tracer, instruments, recordContent, prices);
    },
  };
}

function instrumentsOf(meter: Meter): Instruments {
  const seconds = (name: string, description: string) =>
    meter.createHistogram(name, { description, unit: 's', advice: { explicitBucketBoundaries: SECONDS_BUCKETS } });
  return {
    tokenUsage: meter.createHistogram('gen_ai.client.token.usage', {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    duration: seconds('gen_ai.client.operation.duration', 'GenAI operation duration.'),
    timeToFirstChunk: seconds('gen_ai.client.operation.time_to_first_chunk', 'Time to receive the first chunk of the response stream.'),
    timePerOutputChunk: seconds('gen_ai.client.operation.time_per_output_chunk', 'Time per output chunk after the first one.'),
  };
}

/** One run's span, and what it keeps of the chunks (a few field reads each; one clock read at the first). */
function startRun(
  request: TelemetryRequest,
  tracer: ReturnType<TracerProvider['getTracer']>,
  instruments: Instruments,
  recordContent: boolean,
  prices: PriceTable | undefined,
): TelemetryRun {
  const started = performance.now();
  const common = commonAttributes(request);
  // rxllm always streams
  const attributes: Attributes = { ...common, 'gen_ai.request.stream': true };
  if (request.parameters.temperature !== undefined) attributes['gen_ai.request.temperature'] = request.parameters.temperature;
  if (request.parameters.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = request.parameters.maxTokens;
  if (request.output) attributes['gen_ai.output.type'] = 'json';
  if (recordContent) attributes['gen_ai.input.messages'] = genAiInputMessages(request.messages);
  const span = tracer.startSpan(request.model ? `chat ${request.model}` : 'chat', { kind: SpanKind.CLIENT, attributes }, context.active());
  const spanContext = trace.setSpan(context.active(), span);

  let firstAt: number | undefined;
  let chunks = 0;
  let id: string | undefined;
  let model: string | undefined;
  let finish: FinishReason | undefined;
  let rawFinish: unknown;
  let usage: Usage | undefined;
  const answer: ResponseAccumulator | undefined = recordContent ? createResponseAccumulator() : undefined;

  return {
    within: (subscribe) => context.with(spanContext, subscribe),
    chunk(chunk: Chunk) {
      if (firstAt === undefined) firstAt = performance.now();
      chunks++;
      if (chunk.id !== undefined) id = chunk.id;
      if (chunk.model !== undefined) model = chunk.model;
      if (chunk.finishReason !== undefined) ((finish = chunk.finishReason), (rawFinish = chunk.metadata?.rawFinishReason));
      if (chunk.usage !== undefined) usage = chunk.usage;
      answer?.add(chunk);
    },
    attempt({ kind, attempt, error, delayMs }) {
      span.addEvent(`rxllm.${kind}`, {
        'rxllm.attempt': attempt,
        'rxllm.delay_ms': delayMs,
        'error.type': errorType(error),
        'rxllm.cause': errorMessage(error),
      });
    },
    end(outcome) {
      const ended = performance.now();
      const result: Attributes = {};
      if (id !== undefined) result['gen_ai.response.id'] = id;
      if (model !== undefined) result['gen_ai.response.model'] = model;
      const reason = finish === undefined ? undefined : genAiFinishReason(finish, rawFinish);
      if (reason !== undefined) result['gen_ai.response.finish_reasons'] = [reason];
      if (usage?.inputTokens !== undefined) result['gen_ai.usage.input_tokens'] = usage.inputTokens;
      if (usage?.outputTokens !== undefined) result['gen_ai.usage.output_tokens'] = usage.outputTokens;
      // (rxllm's counts are those of the conventions: cached input within the input, reasoning within the output)
      if (usage?.cachedInputTokens !== undefined) result['gen_ai.usage.cache_read.input_tokens'] = usage.cachedInputTokens;
      if (usage?.reasoningTokens !== undefined) result['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningTokens;
      if (firstAt !== undefined) result['gen_ai.response.time_to_first_chunk'] = (firstAt - started) / 1000;
      if (prices) Object.assign(result, pricedAttributes(prices, request.provider, model, usage));
      if (answer && chunks > 0) result['gen_ai.output.messages'] = genAiOutputMessages(answer.snapshot(), reason ?? '');
      const measured: Attributes = { ...common };
      if (model !== undefined) measured['gen_ai.response.model'] = model;
      if (outcome.status === 'error') {
        result['error.type'] = errorType(outcome.error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(outcome.error) });
      } else if (outcome.status === 'cancelled') {
        result['rxllm.cancelled'] = true;
      }
      span.setAttributes(result);
      span.end();

      if (outcome.status !== 'cancelled') {
        instruments.duration.record((ended - started) / 1000, outcome.status === 'error' ? { ...measured, 'error.type': result['error.type'] } : measured);
      }
      if (usage?.inputTokens !== undefined) instruments.tokenUsage.record(usage.inputTokens, { ...measured, 'gen_ai.token.type': 'input' });
      if (usage?.outputTokens !== undefined) instruments.tokenUsage.record(usage.outputTokens, { ...measured, 'gen_ai.token.type': 'output' });
      if (firstAt !== undefined) instruments.timeToFirstChunk.record((firstAt - started) / 1000, measured);
      if (outcome.status === 'completed' && firstAt !== undefined && chunks > 1) {
        instruments.timePerOutputChunk.record((ended - firstAt) / 1000 / (chunks - 1), measured);
      }
    },
  };
}

/**
 * The cost attributes of a run, or none: a price function that throws must not break the run nor the
 * span, so its error goes to OpenTelemetry's diagnostic logger, as an instrumentation's own trouble does.
 */
function pricedAttributes(prices: PriceTable, provider: string, model: string | undefined, usage: Usage | undefined): Attributes {
  try {
    return costAttributes(prices, { provider, model, usage });
  } catch (error) {
    diag.warn(`rxllm/otel: no cost on the span of ${provider} ${model ?? ''}: ${errorMessage(error)}`);
    return {};
  }
}

/** The attributes every span and metric of a run carries. */
function commonAttributes(request: TelemetryRequest): Attributes {
  const attributes: Attributes = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': genAiProviderName(request.provider) };
  if (request.model) attributes['gen_ai.request.model'] = request.model;
  const server = serverOf(request.url);
  if (server) ((attributes['server.address'] = server.address), (attributes['server.port'] = server.port));
  return attributes;
}

/** The host and port of the request's URL (the default port of its scheme when it names none). */
function serverOf(url: string): { address: string; port: number } | undefined {
  try {
    const parsed = new URL(url);
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
    return { address: parsed.hostname, port };
  } catch {
    return undefined;
  }
}
