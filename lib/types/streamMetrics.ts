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
  /** the values of `custom` metrics */
  custom?: Record<string, unknown>;
}
