import type * as t from 'io-ts';
import type { MonoTypeOperatorFunction } from 'rxjs';
import type { HttpRequest } from './transport/httpRequest';
import type { WireEvent } from './transport/sseFraming';
import type { ChatMessage } from './types/chatMessage';
import type { Chunk } from './types/chunk';
import type { RequestOptions } from './types/requestOptions';
import type { RequestTool } from './types/toolDefinition';

/**
 * The options a provider receives: the checked request options plus its own, `apiKey` and `model`
 * resolved, the tools as they are sent (a codec's parameters as JSON Schema, no `execute`); the
 * coordinator's options are the assembly's, see `CoordinatorOptions`.
 */
export type ResolvedOptions<O = {}> = Omit<RequestOptions, 'tools'> & O & { model: string; baseURL: string; tools?: RequestTool[] };

/** An environment variable that holds a provider's base URL, in its official SDK's form. */
export interface BaseURLEnv {
  readonly name: string;
  /**
   * the variable's value (trimmed, not blank) as rxllm's base URL, where the SDK's form differs
   * (Anthropic's has no `/v1`; Ollama's may be `host:port`); the value itself when absent
   */
  toBaseURL?(value: string): string;
}

/** What a provider's feature operators may use: the options, the chat request, and the secrets to keep out of errors. */
export interface FeatureContext<O = {}> {
  options: ResolvedOptions<O>;
  /** the chat request as sent (its URL and authentication headers serve side requests too) */
  request: HttpRequest;
  secrets: readonly string[];
}

/** What a provider's decoder may do with the stream. */
export interface DecoderContext {
  /** the provider id, for `chunk.provider` and error messages */
  readonly provider: string;
  /** hands a chunk on; `seq` and `bytes` are filled in by the transport */
  emit(chunk: Chunk): void;
  /**
   * the request this stream answers (the transport always gives it): a decoder whose stream can be
   * a resumed one learns from it where it resumes (the Responses API's `GET …?starting_after=`)
   */
  readonly request?: HttpRequest;
}

/**
 * The per-request state of a provider's wire mapping: wire events in, chunks out. It may throw a
 * `ParseError` or a `ProviderStreamError`; the transport ends the stream with it.
 */
export interface StreamDecoder {
  /** one SSE event or NDJSON line */
  onEvent(event: WireEvent): void;
  /** the body ended: throws `StreamInterruptedError` when the stream was cut short */
  onEnd(): void;
  /** true once the terminal event was seen: the transport completes and stops reading */
  readonly done: boolean;
}

/**
 * A provider maps one wire format to `Chunk`s. It builds the request and decodes the response
 * events; it does no HTTP of its own.
 *
 * @example
 * registerProvider(createOpenAICompatibleProvider({ id: 'vllm', baseURL: 'http://localhost:8000/v1' }));
 */
export interface Provider<O = {}> {
  readonly id: string;
  readonly defaultBaseURL: string;
  readonly defaultModel: string;
  /**
   * the environment variable the API key is read from when `apiKey` is not given; several, in the
   * order the official SDK reads them (Gemini: `GOOGLE_API_KEY`, then `GEMINI_API_KEY`): the first
   * that is set and not blank wins
   */
  readonly apiKeyEnv?: string | readonly string[];
  /**
   * the environment variable the base URL is read from when `baseURL` is not given, as the official
   * SDK reads it (`OPENAI_BASE_URL`, `ANTHROPIC_BASE_URL`, `OLLAMA_HOST`)
   */
  readonly baseURLEnv?: BaseURLEnv;
  /** whether a request without an API key is a configuration error (false for local servers) */
  readonly requiresApiKey: boolean;
  readonly framing: 'sse' | 'ndjson';
  /**
   * Whether the API can continue a final assistant turn (a prefill), which `recovery.continuation:
   * 'prefill'` asks for (Anthropic up to Claude 4.5). Every provider continues in instruction form
   * by default: the partial answer, then a user turn asking to go on.
   */
  readonly prefill?: boolean;
  /**
   * The same request again with a continuation token, for APIs that split a long answer into hops
   * or resume from a checkpoint (Gemini's `continuationToken`). The decoder puts each token it sees
   * in `metadata.continuationToken`; a hop that ends without a finish reason but with a token is
   * followed with this request, and recovery resumes from the last checkpoint exactly.
   */
  continueFrom?(request: HttpRequest, token: string): HttpRequest;
  /** the provider's own options (a `t.partial`), checked with the common ones */
  readonly optionsCodec?: t.Type<O, unknown, unknown> & { props?: Record<string, unknown> };
  buildRequest(messages: readonly ChatMessage[], options: ResolvedOptions<O>): HttpRequest;
  /**
   * The operators of the provider's own options (e.g. Perplexity's `inlineCitations`), in order;
   * `streamChat$` applies them after recovery and before the coordinator. None when no such option
   * is set, so the stream is unchanged.
   */
  features?(context: FeatureContext<O>): MonoTypeOperatorFunction<Chunk>[];
  createDecoder(context: DecoderContext): StreamDecoder;
}
