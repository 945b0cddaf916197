import type { ChunkMetadata } from './chunkMetadata';
import type { Cost } from './cost';

/** A live picture of one stream, delivered on a side channel while the chunks flow on. */
export interface StreamMetrics {
  provider?: string;
  model?: string;
  /** `streaming` until the end, then how it ended (`cancelled`: unsubscribed, or aborted by the caller's signal) */
  status: 'streaming' | 'completed' | 'error' | 'cancelled';
  chunksReceived: number;
  /** wire bytes the chunks were decoded from */
  bytesReceived: number;
  /** since subscription */
  durationMs: number;
  chunksPerSecond: number;
  bytesPerSecond: number;
  /** failures seen: the stream's error (not an abort), and chunks a validator dropped */
  errors: number;
  /** from subscription to the first chunk; `undefined` until it arrives */
  timeToFirstChunkMs?: number;
  /** the provider's count when it reported usage, else an estimate (see `outputTokensEstimated`) */
  outputTokens: number;
  /** true while `outputTokens` is estimated from the text (about 4 characters a token) */
  outputTokensEstimated: boolean;
  /** output tokens per second of generation (after the first chunk) */
  tokensPerSecond: number;
  /** requests sent again before any content (marked by recovery on its chunks) */
  retries: number;
  /** continuation requests after content had arrived, exact resumes from a checkpoint included (marked by recovery on its chunks) */
  recoveries: number;
  /** further hops of an answer the API split (Gemini `CONTINUATION`), each a request of its own */
  hops: number;
  /** gaps between chunks: median, 90th percentile (over a uniform sample of up to 1,024 gaps) and maximum */
  interChunkMs: { p50: number; p90: number; max: number };
  /**
   * what the stream cost at your `prices` (`trackMetrics`), for the usage reported so far — summed over
   * recovery's attempts, Gemini's hops and a tool run's steps, as the usage is; absent without
   * `prices`, before any usage, or when no price applies (see `costOf`)
   */
  cost?: Cost;
  /**
   * the provider's own price of the stream, as it reported it (Perplexity's `usage.cost`, each
   * request's on its final chunk as `metadata.cost`), summed over the stream's requests; beside
   * `cost`, never in its place (it may count fees a token price cannot, such as Perplexity's per request)
   */
  providerCost?: NonNullable<ChunkMetadata['cost']>;
  /** a run of tools that run themselves (`maxSteps`): each step's own figures, in order (absent for an ordinary stream) */
  steps?: StepMetrics[];
  /** the values of `custom` metrics */
  custom?: Record<string, unknown>;
}

/**
 * One step of a tool run, measured on its own: a step starts when its request goes out (at the
 * subscription, or when the step before it delivered its last tool result) and ends with its own
 * last tool result, or its answer's end.
 */
export interface StepMetrics {
  step: number;
  /** from the step's start to its first chunk; `undefined` until it arrives */
  timeToFirstChunkMs?: number;
  /** from the step's start to its last chunk so far */
  durationMs: number;
  /** the answer's chunks (tool results not counted) */
  chunksReceived: number;
  /** the step's own output tokens: the provider's count when it reported usage, else an estimate */
  outputTokens: number;
  outputTokensEstimated: boolean;
  /** output tokens per second of the answer's generation (from its first chunk to its last) */
  tokensPerSecond: number;
  /** the tool results the step delivered */
  toolResults: number;
  /** from the answer's last chunk to the last tool result: how long its tools took */
  toolMs: number;
  /** what the step's own usage cost at your `prices` (the run's `cost` is that of the steps together) */
  cost?: Cost;
}
