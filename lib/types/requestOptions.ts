import * as t from 'io-ts';
import { AbortSignalLike, fn, HttpAgentLike, HttpURL, NonEmptyString, PositiveInteger, ProxyURL, Temperature } from '../codec/readable';
import type { FetchLike } from '../transport/transportOptions';
import type { ResponseInfo } from '../transport/httpRequest';
import { OutputOption } from './outputOption';
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
  /**
   * the answer as JSON of a declared shape: `{ schema, name?, description?, strict? }`, `schema` an
   * io-ts codec (its JSON Schema derived) or a JSON Schema, sent as each API asks for it (OpenAI's
   * `response_format`, the Responses API's `text.format`, Anthropic's `output_config.format`,
   * Gemini's `responseJsonSchema`, Ollama's `format`, …; see docs/structured_output.md)
   */
  output: OutputOption,
  /** fields merged into the request body as they are, for parameters rxllm does not model */
  extraBody: t.record(t.string, t.unknown),
  /** the largest single wire event accepted, in bytes (default 8 MiB) */
  maxEventBytes: PositiveInteger,
  /** called when the response headers arrive (status, rate-limit headers), before the first chunk */
  onResponse: fn<(info: ResponseInfo) => void>('a function (info) => void'),
  /**
   * a fetch implementation to send with instead of the default client (axios), for runtimes and
   * tests that bring their own (undici with a dispatcher, node-fetch, a test double): called as
   * `fetch(url, { method, headers, body, signal })`; its body is read as it arrives, with the same
   * timeouts, abort and errors. Not with `httpAgent`, `httpsAgent` or `proxy` (a fetch makes its
   * own connections: give it its dispatcher or agent)
   */
  fetch: fn<FetchLike>('a fetch function (url, init) => Promise<Response>'),
  /** Node: the `http.Agent` for `http:` base URLs (a keep-alive pool, a proxying agent with `proxy: false`) */
  httpAgent: HttpAgentLike,
  /**
   * Node: the `https.Agent` for `https:` base URLs (a keep-alive pool, a corporate CA, a client
   * certificate); through a proxy, its TLS options apply to the origin and to an `https:` proxy
   */
  httpsAgent: HttpAgentLike,
  /**
   * Node: the HTTP proxy, `http://user:password@host:port` (or `https://` for a proxy spoken to over
   * TLS), whatever `HTTP_PROXY` / `HTTPS_PROXY` / `NO_PROXY` say; `false` for none at all (an agent
   * that proxies itself, a local server). Absent: those variables decide, as before. Its
   * credentials are kept out of every error
   */
  proxy: t.union([ProxyURL, t.literal(false)]),
});
export type RequestOptions = t.TypeOf<typeof RequestOptions>;
