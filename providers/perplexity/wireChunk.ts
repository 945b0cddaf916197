import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';
import { OpenAIWireChunk } from '../openai-compatible/wireChunk';

/** One entry of Perplexity's `search_results` (only what becomes a `Citation` is described). */
export const PerplexityWireSearchResult = t.partial({
  url: nullable(t.string),
  title: nullable(t.string),
  snippet: nullable(t.string),
  /** publication date, e.g. `2025-06-10` */
  date: nullable(t.string),
});
export type PerplexityWireSearchResult = t.TypeOf<typeof PerplexityWireSearchResult>;

/**
 * A Perplexity stream payload: the Chat Completions chunk plus the sources, which full mode
 * repeats identically in every payload. (`message` — the cumulative text — and `usage.cost` are
 * not read.)
 */
export const PerplexityWireChunk = t.intersection([
  OpenAIWireChunk,
  t.partial({
    /** the source URLs; the answer's `[n]` markers are 1-based indices into this list */
    citations: nullable(t.array(t.string)),
    search_results: nullable(t.array(PerplexityWireSearchResult)),
  }),
]);
export type PerplexityWireChunk = t.TypeOf<typeof PerplexityWireChunk>;
