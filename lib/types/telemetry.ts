import * as t from 'io-ts';
import { fn } from '../codec/readable';
import type { ChatMessage } from './chatMessage';
import type { Chunk } from './chunk';

/**
 * An observer of chat runs — the hook `streamChat$`'s `telemetry` option calls, so a tracing
 * backend (OpenTelemetry through `rxllm/otel`, or one of your own) sees every request without the
 * core knowing any of them. `start` is called once per subscription, before any request; the run
 * it returns is told each delivered chunk, each retry or continuation, and how the run ended.
 *
 * @example
 * const log: Telemetry = {
 *   start: (request) => ({
 *     within: (subscribe) => subscribe(),
 *     chunk: () => {},
 *     attempt: (event) => console.log(`${request.provider}: ${event.kind} #${event.attempt} in ${event.delayMs} ms`),
 *     end: (outcome) => console.log(`${request.provider} ${request.model}: ${outcome.status}`),
 *   }),
 * };
 * streamChat$('openai', messages, { telemetry: log });
 */
export const Telemetry = t.type({ start: fn<(request: TelemetryRequest) => TelemetryRun>('a function (request) => TelemetryRun') }, 'a Telemetry ({ start })');
export type Telemetry = t.TypeOf<typeof Telemetry>;

/** What a run asked for: never the API key, never a header. */
export interface TelemetryRequest {
  /** the provider's id (`'openai'`, `'anthropic'`, a custom id) */
  provider: string;
  /** the model the request names ('' when the provider has none, e.g. an Azure deployment URL) */
  model: string;
  /** the first request's URL, its query removed (a Gemini `key=` never reaches an observer) */
  url: string;
  /** the sampling parameters the call set, and only those */
  parameters: TelemetryParameters;
  /** the messages sent (record them only when the user opted in) */
  messages: readonly ChatMessage[];
  /** the names of the tools offered */
  tools: readonly string[];
  /** whether the call asked for structured output (`output`) */
  output: boolean;
}

/** The request parameters that were set. */
export interface TelemetryParameters {
  temperature?: number;
  maxTokens?: number;
}

/**
 * A retry before any content (`retry`) or a continuation after it (`recovery`), when `recoverStream`
 * decides it — before the wait.
 */
export interface RetryEvent {
  kind: 'retry' | 'recovery';
  /** 1 for the first new attempt, 2 for the second, … */
  attempt: number;
  /** the failure that ended the previous attempt */
  error: unknown;
  /** how long the stream waits before the attempt */
  delayMs: number;
}

/** How a run ended: completed, failed, or unsubscribed (an abort through the caller's `signal` is `cancelled` too). */
export type TelemetryOutcome = { status: 'completed' } | { status: 'error'; error: unknown } | { status: 'cancelled' };

/** One run (one subscription) as an observer follows it. */
export interface TelemetryRun {
  /**
   * Runs `subscribe` inside the observer's context (OpenTelemetry: the span's), so an HTTP
   * instrumentation parents the request's span under it, and retries and tool executions inherit it.
   */
  within<T>(subscribe: () => T): T;
  /** each chunk the subscriber receives */
  chunk(chunk: Chunk): void;
  /** each retry or continuation, when it is decided */
  attempt(event: RetryEvent): void;
  /** exactly once, at the end */
  end(outcome: TelemetryOutcome): void;
}
