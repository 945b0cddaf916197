import type { Citation } from '../../lib/types/citation';

/**
 * One `citations_delta.citation` → `Citation`, for the kinds that point at a URL: web search
 * results (`url`, `title`, `cited_text`) and search results (`source`). A citation of a document
 * (`char_location`, `page_location`, `content_block_location`) has no URL and gives `undefined`;
 * the decoder keeps it in `metadata.citation`.
 *
 * @example
 * convertAnthropicCitation({ type: 'web_search_result_location', url: 'https://example.com', title: 'Example', cited_text: '…' });
 * // { url: 'https://example.com', title: 'Example', snippet: '…' }
 */
export function convertAnthropicCitation(raw: unknown): Citation | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const c = raw as { url?: unknown; source?: unknown; title?: unknown; cited_text?: unknown };
  const url = typeof c.url === 'string' && c.url ? c.url : typeof c.source === 'string' && c.source ? c.source : undefined;
  if (url === undefined) return undefined;
  const citation: Citation = { url };
  if (typeof c.title === 'string' && c.title) citation.title = c.title;
  if (typeof c.cited_text === 'string' && c.cited_text) citation.snippet = c.cited_text;
  return citation;
}
