import * as t from 'io-ts';
import { AbortSignalLike, fn, HttpURL, NonEmptyString, PositiveInteger, Temperature } from '../codec/readable';
import type { ResponseInfo } from '../transport/httpRequest';
import { TimeoutConfig } from './timeoutConfig';
import { ToolDefinition } from './toolDefinition';

/**
 * The options of one request and of how it is sent: what every provider understands and what its
 * `buildRequest` sees (`ResolvedOptions`). Providers add their own (see each provider's docs); the
 * coordinator's options (recovery, metrics, buffering, …) are `CoordinatorOptions`, and the two
 * together are `StreamChatOptions`, which `streamChat$` checks before it sends anything, failing with
 * `ConfigError` naming the path.
 */
export const RequestOptions = t.partial({
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
  /** called when the response headers arrive (status, rate-limit headers), before the first chunk */
  onResponse: fn<(info: ResponseInfo) => void>('a function (info) => void'),
});
export type RequestOptions = t.TypeOf<typeof RequestOptions>;
