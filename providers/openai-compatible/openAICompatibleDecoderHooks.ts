import type * as t from 'io-ts';
import type { DecoderContext } from '../../lib/provider';
import type { Chunk } from '../../lib/types/chunk';
import type { OpenAIWireChunk } from './wireChunk';

/**
 * Maps the fields a server adds to the Chat Completions payload (Perplexity's `citations`, LM
 * Studio's `stats`) onto the chunk being built. Returns true when it set something, so that a
 * chunk carrying only those fields is still emitted.
 */
export type OpenAICompatibleExtrasMapper<P> = (payload: P, chunk: Chunk) => boolean;

/**
 * Where a compatible server's stream differs from OpenAI's, as options of the shared decoder.
 * Each one is off by default, and one that is not configured costs nothing per event: OpenAI's
 * own decoding runs exactly as without hooks.
 *
 * @example
 * createOpenAICompatibleProvider({
 *   id: 'my-server',
 *   baseURL: 'http://localhost:8000/v1',
 *   decoder: { thinkTags: true, cumulativeUsage: true },
 * });
 */
export interface OpenAICompatibleDecoderHooks<P extends OpenAIWireChunk = OpenAIWireChunk> {
  /**
   * The payload codec, when the server adds fields the mapper reads (default `OpenAIWireChunk`).
   * Build it with `t.intersection([OpenAIWireChunk, t.partial({ … })])`: a payload failing it is
   * a `ParseError` naming the path.
   */
  payload?: t.Type<P, unknown, unknown>;
  /**
   * A `<think>…</think>` block that opens the text content is reasoning (Perplexity
   * `sonar-reasoning`, DeepSeek-R1-style models): see `ThinkTagSplitter`.
   */
  thinkTags?: boolean;
  /**
   * Every payload's `usage` is a running total, not a final count (Perplexity): the usage is held
   * and only the latest one is emitted, once, on the chunk with the finish reason (or, for a stream
   * cut short, on a last chunk before the error). Never summed.
   */
  cumulativeUsage?: boolean;
  /** Makes the per-stream mapper of the server's own payload fields (it may keep state, e.g. "citations sent"). */
  createExtrasMapper?(context: DecoderContext): OpenAICompatibleExtrasMapper<P>;
  /**
   * Maps what the server adds to `usage` (Perplexity's `cost`) onto the chunk that carries the
   * usage — with `cumulativeUsage`, the one final chunk, so the figures always go with their count.
   */
  mapUsageExtras?(usage: NonNullable<P['usage']>, chunk: Chunk): void;
}
