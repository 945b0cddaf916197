import type { Chunk } from '../../lib/types/chunk';
import type { ChunkMetadata } from '../../lib/types/chunkMetadata';
import type { PerplexityWireUsage } from './wireChunk';

/**
 * Perplexity's own figures next to its token counts, onto the chunk that carries the final usage:
 * `usage.cost` → `metadata.cost` (USD, as Perplexity prices the request; `total` is
 * `total_cost`), `citation_tokens`, `num_search_queries` and `search_context_size` →
 * `metadata.searchUsage`. A cost without a numeric `total_cost` is not a cost and is left out.
 *
 * @example
 * // the final chunk of a `sonar` answer:
 * // chunk.metadata.cost → { total: 0.00501, input: 0.00001, output: 0, request: 0.005, currency: 'USD' }
 */
export function mapPerplexityUsageExtras(usage: PerplexityWireUsage, chunk: Chunk): void {
  const cost = convertCost(usage.cost);
  const search: NonNullable<ChunkMetadata['searchUsage']> = {};
  if (typeof usage.citation_tokens === 'number') search.citationTokens = usage.citation_tokens;
  if (typeof usage.num_search_queries === 'number') search.searchQueries = usage.num_search_queries;
  if (typeof usage.search_context_size === 'string') search.contextSize = usage.search_context_size;
  if (!cost && Object.keys(search).length === 0) return;
  const metadata = (chunk.metadata ??= {});
  if (cost) metadata.cost = cost;
  if (Object.keys(search).length > 0) metadata.searchUsage = search;
}

function convertCost(wire: unknown): ChunkMetadata['cost'] {
  if (!wire || typeof wire !== 'object') return undefined;
  const c = wire as Record<string, unknown>;
  if (typeof c.total_cost !== 'number') return undefined;
  const cost: NonNullable<ChunkMetadata['cost']> = { total: c.total_cost, currency: 'USD' };
  for (const [wireKey, key] of COST_PARTS) {
    const value = c[wireKey];
    if (typeof value === 'number') cost[key] = value;
  }
  return cost;
}

/** the parts of Perplexity's cost, wire name → `metadata.cost` name */
const COST_PARTS: ReadonlyArray<[string, 'input' | 'output' | 'request' | 'reasoning' | 'citations' | 'searchQueries']> = [
  ['input_tokens_cost', 'input'],
  ['output_tokens_cost', 'output'],
  ['request_cost', 'request'],
  ['reasoning_tokens_cost', 'reasoning'],
  ['citation_tokens_cost', 'citations'],
  ['search_queries_cost', 'searchQueries'],
];
