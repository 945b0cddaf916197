import * as t from 'io-ts';
import { fn, observer, PositiveInteger } from '../codec/readable';
import { BufferChunksConfig, GroupSize } from '../../operators/bufferChunks';
import { RecoverStreamConfig } from '../../operators/recoverStream';
import { OnMetrics, TrackMetricsSettings } from '../../operators/trackMetrics';
import { ChunkTransform } from '../../operators/transformChunk';
import { ChunkValidator, ValidateChunkConfig } from '../../operators/validateChunk';
import { RateLimiter } from '../types/rateLimiter';
import { Telemetry } from '../types/telemetry';
import type { StreamMetrics } from '../types/streamMetrics';

/**
 * The options of the coordinator, all opt-in: what the assembly does around the provider's stream
 * (docs/streaming_coordinator.md), never seen by a provider's `buildRequest`. Each is made of the
 * codec of the operator it applies, so an option is checked exactly as the operator checks its
 * configuration, and a bad one fails with the operator's issue under the option's path
 * (`bufferChunks.size: expected a whole number ≥ 1, got 0`).
 */
export const CoordinatorOptions = t.partial({
  /** called once with the typed error; the Observable still errors */
  onError: fn<(error: unknown) => void>('a function (error) => void'),
  /** measure the stream (see the `trackMetrics` operator); needs `onMetrics` or `metrics$` */
  trackMetrics: t.union([t.boolean, TrackMetricsSettings]),
  /** receives every metrics value */
  onMetrics: OnMetrics,
  /** an Observer (a Subject) that receives every metrics value */
  metrics$: observer<StreamMetrics>(),
  /** `(chunk) => chunk | null`, applied to every chunk (see the `transformChunk` operator) */
  transformChunk: ChunkTransform,
  /** a check of every chunk, or `{ validate, onInvalid }` (see the `validateChunk` operator) */
  validateChunk: t.union([ChunkValidator, t.intersection([t.type({ validate: ChunkValidator }), ValidateChunkConfig], '{ validate, onInvalid? }')]),
  /** coalesce chunks: a group size, or `{ size, maxWaitMs, adaptive: { targetPerSecond } }` (see `bufferChunks`) */
  bufferChunks: t.union([GroupSize, BufferChunksConfig]),
  /** continue a stream that broke (see the `recoverStream` operator); on when `recovery` is given, unless false */
  streamRecovery: t.boolean,
  /**
   * how to recover: `{ strategy: 'exact' | 'sentence' | 'paragraph', maxRetries, delay (ms), retryable
   * (error) => boolean, continuation: 'instruction' | 'prefill' }` — `prefill` only where the
   * provider supports it (Anthropic up to Claude 4.5); a model that refuses it gets the instruction form
   */
  recovery: t.intersection(
    [RecoverStreamConfig, t.partial({ continuation: t.keyof({ instruction: null, prefill: null }, "'instruction' or 'prefill'") })],
    '{ strategy?, maxRetries?, delay?, retryable?, continuation? }',
  ),
  /** a gate before every request, e.g. `sharedRateLimit` from `rxllm/redis` (see `RateLimiter`) */
  rateLimiter: RateLimiter,
  /**
   * tools that run themselves (`execute`): at most this many steps — requests — in the run
   * (default 1: the tools of the first answer run, and the run ends); each step's tool results go
   * back to the model in the next (docs/tools.md)
   */
  maxSteps: PositiveInteger,
  /** tools that run themselves: how many calls of one answer run at once (default 8) */
  toolConcurrency: PositiveInteger,
  /**
   * an observer of each run — a span per run with `otelTelemetry()` from `rxllm/otel`: told the
   * request, each chunk delivered, each retry and continuation, and the end (see `Telemetry`)
   */
  telemetry: Telemetry,
});
export type CoordinatorOptions = t.TypeOf<typeof CoordinatorOptions>;
