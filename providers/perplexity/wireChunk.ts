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

const count = nullable(t.number);

/**
 * What Perplexity adds to `usage`: the search's counts and the request's `cost` in USD (`{
 * input_tokens_cost, output_tokens_cost, request_cost?, total_cost, … }`, read leniently: a
 * running figure until the last payload, `request_cost` only at the end).
 */
export const PerplexityWireUsage = t.partial({
  citation_tokens: count,
  num_search_queries: count,
  search_context_size: nullable(t.string),
  cost: t.unknown,
});
export type PerplexityWireUsage = t.TypeOf<typeof PerplexityWireUsage>;

/**
 * A Perplexity stream payload: the Chat Completions chunk plus the sources, which full mode
 * repeats identically in every payload, what Perplexity adds to `usage`, and, with `stream_mode:
 * "concise"`, the reasoning steps of `chat.reasoning` payloads (`delta.reasoning_steps`: `{ thought,
 * type, web_search?, … }`, read leniently). (`message` — the cumulative text, and in concise mode
 * the steps again — is not read.)
 */
export const PerplexityWireChunk = t.intersection([
  OpenAIWireChunk,
  t.partial({
    /** the source URLs; the answer's `[n]` markers are 1-based indices into this list */
    citations: nullable(t.array(t.string)),
    search_results: nullable(t.array(PerplexityWireSearchResult)),
    usage: nullable(PerplexityWireUsage),
    choices: nullable(t.array(t.partial({ delta: nullable(t.partial({ reasoning_steps: t.unknown })) }))),
  }),
]);
export type PerplexityWireChunk = t.TypeOf<typeof PerplexityWireChunk>;
