import * as t from 'io-ts';
import {
  AbortSignalLike,
  AnyFunction,
  HttpURL,
  NonEmptyString,
  NonNegativeInteger,
  NonNegativeNumber,
  ObserverLike,
  PositiveNumber,
  PositiveInteger,
  Temperature,
} from '../codec/readable';
import type { PartialObserver } from 'rxjs';
import type { Chunk } from './chunk';
import type { StreamMetrics } from './streamMetrics';

/** `true` or `undefined` for a valid chunk; `false` or a reason for an invalid one. */
export type ChunkCheck = (chunk: Chunk) => boolean | string | undefined | void;
import type { ResponseInfo } from '../transport/httpRequest';
import type { RateLimiter } from './rateLimiter';
import { TimeoutConfig } from './timeoutConfig';
import { ToolDefinition } from './toolDefinition';

/**
 * The options every provider understands. Providers add their own (see each provider's docs);
 * `streamChat$` checks both before it sends anything and fails with `ConfigError` naming the path.
 */
export const StreamChatOptions = t.partial({
  /** the provider's model id; each provider has a default */
  model: NonEmptyString,
  /** defaults to the provider's usual environment variable (`OPENAI_API_KEY`, …) */
  apiKey: NonEmptyString,
  /** where to send the request (a proxy, a compatible server, the mock server) */
  baseURL: HttpURL,
  temperature: Temperature,
  maxTokens: PositiveInteger,
  tools: t.array(ToolDefinition),
  /** extra request headers */
  headers: t.record(t.string, t.string),
  /**
   * ends the stream when it aborts, before or during the request: the request is aborted and its
   * socket closed, as on an unsubscribe, and the Observable errors with `AbortError` (`reason` is
   * the signal's reason; not retryable, so recovery does not retry it; `trackMetrics` reports it as
   * `cancelled`)
   */
  signal: AbortSignalLike,
  /**
   * limits on how long the stream may take: a number is the idle limit in ms (no bytes for that
   * long, counted from the request), or `{ firstChunkMs, idleMs, totalMs }`, each a positive number
   * of ms or `false` for none; a limit not named keeps its default (`DEFAULT_TIMEOUT`: 10 minutes to
   * the first chunk, 5 minutes without a byte, no total), and `false` turns every limit off. A limit
   * that runs out fails the stream with `StreamTimeoutError`.
   */
  timeout: TimeoutConfig,
  /** fields merged into the request body as they are, for parameters rxllm does not model */
  extraBody: t.record(t.string, t.unknown),
  /** the largest single wire event accepted, in bytes (default 8 MiB) */
  maxEventBytes: PositiveInteger,
  /** called once with the typed error; the Observable still errors */
  onError: AnyFunction,
  /** measure the stream (see the `trackMetrics` operator); needs `onMetrics` or `metrics$` */
  trackMetrics: t.union([t.boolean, t.partial({ intervalMs: PositiveNumber, custom: t.record(t.string, AnyFunction) })]),
  /** receives every metrics value */
  onMetrics: AnyFunction,
  /** an Observer (a Subject) that receives every metrics value */
  metrics$: ObserverLike,
  /** `(chunk) => chunk | null`, applied to every chunk (see the `transformChunk` operator) */
  transformChunk: AnyFunction,
  /** a check of every chunk, or `{ validate, onInvalid }` (see the `validateChunk` operator) */
  validateChunk: t.union([AnyFunction, t.intersection([t.type({ validate: AnyFunction }), t.partial({ onInvalid: t.keyof({ error: null, drop: null }) })])]),
  /** coalesce chunks: a group size, or `{ size, maxWaitMs, adaptive: { targetPerSecond } }` (see `bufferChunks`) */
  bufferChunks: t.union([
    PositiveInteger,
    t.partial({ size: PositiveInteger, maxWaitMs: NonNegativeNumber, adaptive: t.type({ targetPerSecond: PositiveNumber }) }),
  ]),
  /** continue a stream that broke (see the `recoverStream` operator); on when `recovery` is given, unless false */
  streamRecovery: t.boolean,
  /**
   * how to recover: `{ strategy: 'exact' | 'sentence' | 'paragraph', maxRetries, delay (ms), retryable
   * (error) => boolean, continuation: 'instruction' | 'prefill' }` — `prefill` only where the
   * provider supports it (Anthropic up to Claude 4.5); a model that refuses it gets the instruction form
   */
  recovery: t.partial({
    strategy: t.keyof({ exact: null, sentence: null, paragraph: null }),
    continuation: t.keyof({ instruction: null, prefill: null }),
    maxRetries: NonNegativeInteger,
    delay: NonNegativeNumber,
    retryable: AnyFunction,
  }),
  /** called when the response headers arrive (status, rate-limit headers), before the first chunk */
  onResponse: AnyFunction,
  /** a gate before every request, e.g. `sharedRateLimit` from `rxllm/redis` (see `RateLimiter`) */
  rateLimiter: t.type({ acquire: AnyFunction }),
});
export type StreamChatOptions = Omit<
  t.TypeOf<typeof StreamChatOptions>,
  'onError' | 'onResponse' | 'trackMetrics' | 'onMetrics' | 'metrics$' | 'transformChunk' | 'validateChunk' | 'recovery' | 'rateLimiter'
> & {
  rateLimiter?: RateLimiter;
  recovery?: {
    strategy?: 'exact' | 'sentence' | 'paragraph';
    maxRetries?: number;
    delay?: number;
    retryable?: (error: unknown) => boolean;
    continuation?: 'instruction' | 'prefill';
  };
  transformChunk?: (chunk: Chunk) => Chunk | null;
  validateChunk?: ChunkCheck | { validate: ChunkCheck; onInvalid?: 'error' | 'drop' };
  trackMetrics?: boolean | { intervalMs?: number; custom?: Record<string, (chunk: Chunk, current: unknown) => unknown> };
  onMetrics?: (metrics: StreamMetrics) => void;
  metrics$?: PartialObserver<StreamMetrics>;
  onError?: (error: unknown) => void;
  onResponse?: (info: ResponseInfo) => void;
};
