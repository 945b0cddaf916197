import type { Citation } from '../../lib/types/citation';
import type { PerplexityWireSearchResult } from './wireChunk';

/**
 * Perplexity's `citations` (URLs) and `search_results` (title, snippet, date per URL) → `Citation`s.
 * The order is that of `citations`, so that the answer's `[n]` marker is `citations[n - 1]`; each is
 * completed from the search result with the same URL. Search results not among the citations
 * follow; with no `citations` at all, the search results are the list.
 *
 * @example
 * convertPerplexityCitations(['https://a.example'], [{ url: 'https://a.example', title: 'A', date: '2025-01-02' }]);
 * // [{ url: 'https://a.example', title: 'A', date: '2025-01-02' }]
 */
export function convertPerplexityCitations(
  citations: readonly string[] | null | undefined,
  searchResults: readonly PerplexityWireSearchResult[] | null | undefined,
): Citation[] {
  const byUrl = new Map<string, PerplexityWireSearchResult>();
  for (const result of searchResults ?? []) if (result.url && !byUrl.has(result.url)) byUrl.set(result.url, result);
  const out: Citation[] = [];
  const listed = new Set<string>();
  for (const url of citations ?? []) {
    listed.add(url);
    out.push(toCitation(url, byUrl.get(url)));
  }
  for (const [url, result] of byUrl) if (!listed.has(url)) out.push(toCitation(url, result));
  return out;
}

function toCitation(url: string, result: PerplexityWireSearchResult | undefined): Citation {
  const citation: Citation = { url };
  if (result?.title) citation.title = result.title;
  if (result?.snippet) citation.snippet = result.snippet;
  if (result?.date) citation.date = result.date;
  return citation;
}
