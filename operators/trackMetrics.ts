import * as t from 'io-ts';
import { asyncScheduler, defer, tap, type MonoTypeOperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { costOf } from '../lib/costOf';
import { sameUsage } from '../lib/sameUsage';
import { fn, observer, PositiveNumber, Scheduler } from '../lib/codec/readable';
import { refineObject } from '../lib/codec/refineObject';
import { isAbortError } from '../lib/errors/abortError';
import { createStepMeter, type StepMeter } from './stepMeter';
import { PriceTable } from '../lib/types/priceTable';
import type { Chunk } from '../lib/types/chunk';
import type { ChunkMetadata } from '../lib/types/chunkMetadata';
import type { Cost } from '../lib/types/cost';
import type { StepMetrics, StreamMetrics } from '../lib/types/streamMetrics';
import type { Usage } from '../lib/types/usage';

export type { StepMetrics, StreamMetrics };

/** A custom metric: `(chunk, current) => next`, computed for every chunk. */
export type CustomMetric = (chunk: Chunk, current: unknown) => unknown;

/**
 * How `trackMetrics` measures: the fields the `trackMetrics` option of `streamChat$` takes too
 * (where `onMetrics` and `metrics$` are options of their own).
 */
export const TrackMetricsSettings = t.partial(
  {
    /** at most one value per this many ms between the first and the final one (default 1000) */
    intervalMs: PositiveNumber,
    /** metrics of your own: `(chunk, current) => next`, computed for every chunk */
    custom: t.record(t.string, fn<CustomMetric>('a function (chunk, current) => value')),
    /** the clock and timer (default `asyncScheduler`; a `TestScheduler` in marble tests) */
    scheduler: Scheduler,
    /** your prices, per provider and model (USD per million tokens): `cost` from the usage (see `PriceTable`, `costOf`) */
    prices: PriceTable,
  },
  '{ intervalMs?, custom?, scheduler?, prices? }',
);

/** Called with every metrics value. */
export const OnMetrics = fn<(metrics: StreamMetrics) => void>('a function (metrics) => void');

/** The configuration of `trackMetrics`: where to send the values (`onMetrics` and/or `metrics$`), how often, and custom metrics. */
export const TrackMetricsConfig = refineObject(
  t.intersection([
    t.partial({
      /** called with every metrics value */
      onMetrics: OnMetrics,
      /** receives every metrics value: a Subject an Angular view binds with `async`, or any Observer */
      metrics$: observer<StreamMetrics>(),
    }),
    TrackMetricsSettings,
  ], '{ onMetrics?, metrics$?, intervalMs?, custom?, scheduler?, prices? }'),
  (config) => (config.onMetrics || config.metrics$ ? undefined : { at: 'onMetrics', expected: 'onMetrics and/or metrics$, to receive the metrics' }),
);
export type TrackMetricsConfig = t.TypeOf<typeof TrackMetricsConfig>;

const SAMPLE_SIZE = 1024;

/**
 * Measures the stream as it passes, without touching it, and reports to `onMetrics` and/or
 * `metrics$`: a value on the first chunk, then at most every `intervalMs`, and a final one with
 * `status` `completed`, `error` or `cancelled` — `cancelled` for an unsubscribe and for an abort
 * through the caller's signal (`AbortError`), which is not counted in `errors`. No second request is
 * made; the timer stops with the stream. With `prices`, each value carries the `cost` of the usage
 * reported so far (and each step of a tool run its own), computed only when the usage changed.
 *
 * ```
 * chunks:   --a-b-c-d-------e--|
 * trackMetrics({ intervalMs: 5 })
 * chunks:   --a-b-c-d-------e--|     (unchanged)
 * metrics:  --m----m----m----m-(M|)  (M: status 'completed')
 * ```
 *
 * @example
 * const metrics$ = new Subject<StreamMetrics>();
 * streamChat$('openai', messages).pipe(trackMetrics({ metrics$ })).subscribe(render);
 * metrics$.subscribe((m) => console.log(`${m.tokensPerSecond.toFixed(1)} tok/s`));
 *
 * @example
 * const prices: PriceTable = { openai: { 'gpt-5-mini*': { input: 0.25, cachedInput: 0.025, output: 2 } } };
 * streamChat$('openai', messages, { model: 'gpt-5-mini' })
 *   .pipe(trackMetrics({ prices, onMetrics: (m) => m.status !== 'streaming' && console.log(`$${m.cost?.total ?? '?'}`) }))
 *   .subscribe(render);
 *
 * @param config where to send the values, how often, and custom metrics
 * @throws ConfigError when the configuration is not one (`Invalid trackMetrics config: intervalMs: expected a positive number, got 0`)
 * @see streamChat$ its `trackMetrics`, `onMetrics` and `metrics$` options apply this operator
 */
export function trackMetrics(config: TrackMetricsConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { onMetrics, metrics$, intervalMs = 1000, custom, scheduler = asyncScheduler, prices } = checkConfig(TrackMetricsConfig, config, 'trackMetrics config');
  const customEntries = custom ? Object.entries(custom) : [];

  return (source) =>
    defer(() => {
      const started = scheduler.now();
      let provider: string | undefined;
      let model: string | undefined;
      let chunks = 0;
      let bytes = 0;
      let errors = 0;
      let firstAt: number | undefined;
      let lastAt: number | undefined;
      let reportedTokens: number | undefined;
      let textLength = 0;
      let retries = 0;
      let recoveries = 0;
      let hops = 0;
      let gapMax = 0;
      let gapCount = 0;
      let gaps: number[] = [];
      let steps: StepMeter | undefined;
      /** with `prices`: the latest usage, and its cost (computed again only when the counts changed) */
      let usage: Usage | undefined;
      let cost: Cost | undefined;
      let providerCost: StreamMetrics['providerCost'];
      const price = prices && ((counts: Usage) => costOf(prices, { provider: provider!, model, usage: counts }));
      const customValues: Record<string, unknown> | undefined = customEntries.length ? {} : undefined;
      let ended = false;
      let timer: Subscription | undefined;

      const snapshot = (status: StreamMetrics['status']): StreamMetrics => {
        const now = scheduler.now();
        const durationMs = now - started;
        const seconds = durationMs / 1000;
        const outputTokens = reportedTokens ?? Math.ceil(textLength / 4);
        const generationSeconds = firstAt === undefined ? 0 : ((lastAt ?? now) - firstAt) / 1000;
        const sorted = gaps.slice().sort((a, b) => a - b);
        const metrics: StreamMetrics = {
          provider,
          model,
          status,
          chunksReceived: chunks,
          bytesReceived: bytes,
          durationMs,
          chunksPerSecond: seconds > 0 ? chunks / seconds : 0,
          bytesPerSecond: seconds > 0 ? bytes / seconds : 0,
          errors,
          timeToFirstChunkMs: firstAt === undefined ? undefined : firstAt - started,
          outputTokens,
          outputTokensEstimated: reportedTokens === undefined,
          tokensPerSecond: generationSeconds > 0 ? outputTokens / generationSeconds : 0,
          retries,
          recoveries,
          hops,
          interChunkMs: { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), max: gapMax },
        };
        if (cost) metrics.cost = cost;
        if (providerCost) metrics.providerCost = { ...providerCost };
        if (steps) metrics.steps = steps.snapshot(now, status === 'streaming');
        if (customValues) metrics.custom = { ...customValues };
        return metrics;
      };
      const report = (status: StreamMetrics['status']) => {
        const metrics = snapshot(status);
        onMetrics?.(metrics);
        metrics$?.next?.(metrics);
      };
      const end = (status: 'completed' | 'error' | 'cancelled') => {
        if (ended) return;
        ended = true;
        timer?.unsubscribe();
        timer = undefined;
        report(status);
        gaps = [];
      };

      const clock = burstClock(scheduler);
      return source.pipe(
        tap({
          next(chunk) {
            const now = clock();
            chunks++;
            bytes += chunk.bytes;
            if (provider === undefined) provider = chunk.provider;
            if (model === undefined && chunk.model) model = chunk.model;
            if (chunk.content) textLength += chunk.content.length;
            if (chunk.reasoning) textLength += chunk.reasoning.length;
            if (chunk.usage) {
              if (chunk.usage.outputTokens !== undefined) reportedTokens = chunk.usage.outputTokens;
              // a price function that throws errors the stream, as a custom metric does
              if (price && !sameUsage(chunk.usage, usage)) cost = price((usage = chunk.usage));
            }
            const meta = chunk.metadata;
            if (meta) {
              if (typeof meta.validationDropped === 'number') errors += meta.validationDropped;
              // recovery marks an attempt's first chunk with the count of such requests so far
              if (typeof meta.retry === 'number' && meta.retry > retries) retries = meta.retry;
              if (typeof meta.recovery === 'number' && meta.recovery > recoveries) recoveries = meta.recovery;
              if (typeof meta.hop === 'number') hops++;
              if (meta.cost) providerCost = addProviderCost(providerCost, meta.cost);
              if (typeof meta.step === 'number') (steps ??= createStepMeter(price)).add(chunk, meta.step, now, lastAt ?? started);
            }
            if (lastAt !== undefined) {
              const gap = now - lastAt;
              if (gap > gapMax) gapMax = gap;
              // reservoir sampling: a uniform sample of every gap in constant memory
              if (gaps.length < SAMPLE_SIZE) gaps.push(gap);
              else {
                const j = Math.floor(Math.random() * (gapCount + 1));
                if (j < SAMPLE_SIZE) gaps[j] = gap;
              }
              gapCount++;
            }
            lastAt = now;
            // a custom metric that throws errors the stream, as any operator callback would
            if (customValues) for (const [name, fn] of customEntries) customValues[name] = fn(chunk, customValues[name]);
            if (firstAt === undefined) {
              firstAt = now;
              report('streaming');
              timer = scheduler.schedule(function tick() {
                if (ended) return;
                report('streaming');
                this.schedule(undefined, intervalMs);
              }, intervalMs);
            }
          },
          error(error: unknown) {
            // an abort through the caller's signal is a cancellation, as an unsubscribe is
            if (isAbortError(error)) {
              end('cancelled');
              return;
            }
            errors++;
            end('error');
          },
          complete() {
            end('completed');
          },
          finalize() {
            end('cancelled');
          },
        }),
      );
    });
}

/**
 * The scheduler's clock, read once per synchronous burst when it is the real one (`asyncScheduler`):
 * the chunks decoded from one socket read arrive together, and `Date.now()` would give them the
 * same millisecond anyway — so one read per burst, not one per chunk. A virtual clock (a
 * `TestScheduler`) is read for every chunk.
 */
function burstClock(scheduler: SchedulerLike): () => number {
  if (scheduler !== asyncScheduler) return () => scheduler.now();
  let at: number | undefined;
  const forget = () => {
    at = undefined;
  };
  return () => {
    if (at === undefined) {
      at = scheduler.now();
      queueMicrotask(forget);
    }
    return at;
  };
}

/**
 * The provider's own costs of two requests together: the totals and each part summed (a part one
 * of them lacks counts as 0).
 */
function addProviderCost(a: StreamMetrics['providerCost'], b: NonNullable<ChunkMetadata['cost']>): NonNullable<StreamMetrics['providerCost']> {
  if (!a) return { ...b };
  const sum = { ...a };
  for (const key of Object.keys(b) as Array<keyof typeof b>) if (key !== 'currency') sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  return sum;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
