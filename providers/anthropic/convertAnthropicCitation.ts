import type { Citation, CitedLocation } from '../../lib/types/citation';

/** The range fields of each document citation kind, as `@anthropic-ai/sdk` types them (`end` exclusive). */
const DOCUMENT_RANGES: Readonly<Record<string, readonly [CitedLocation['kind'], string, string]>> = {
  char_location: ['char', 'start_char_index', 'end_char_index'],
  page_location: ['page', 'start_page_number', 'end_page_number'],
  content_block_location: ['block', 'start_block_index', 'end_block_index'],
};

/**
 * One `citations_delta.citation` → `Citation`, for every kind the API sends:
 * - a document of the request (`char_location`, `page_location`, `content_block_location`):
 *   `documentIndex` from `document_index`, `location` `{ kind: 'char' | 'page' | 'block', start, end }`
 *   from the kind's range (pages 1-based, as the API counts them; `end` exclusive), `title` from
 *   `document_title`;
 * - a web search result (`web_search_result_location`): `url` and `title`;
 * - a search result the request sent (`search_result_location`): `url` from its `source`, `title`.
 *
 * `snippet` is the `cited_text` in every case. A citation of a kind not known here still gives what
 * it has of these fields; one with none of them (not an object, or empty) gives `undefined`.
 *
 * @example
 * convertAnthropicCitation({ type: 'page_location', cited_text: 'Gutenberg …', document_index: 0, document_title: 'history.pdf', start_page_number: 3, end_page_number: 4 });
 * // { documentIndex: 0, location: { kind: 'page', start: 3, end: 4 }, title: 'history.pdf', snippet: 'Gutenberg …' }
 * convertAnthropicCitation({ type: 'web_search_result_location', url: 'https://example.com', title: 'Example', cited_text: '…' });
 * // { url: 'https://example.com', title: 'Example', snippet: '…' }
 */
export function convertAnthropicCitation(raw: unknown): Citation | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const c = raw as Record<string, unknown>;
  const citation: Citation = {};
  const url = nonEmpty(c.url) ?? nonEmpty(c.source);
  if (url !== undefined) citation.url = url;
  const range = typeof c.type === 'string' ? DOCUMENT_RANGES[c.type] : undefined;
  if (range) {
    const [kind, startKey, endKey] = range;
    const start = c[startKey];
    const end = c[endKey];
    if (isIndex(start) && isIndex(end)) citation.location = { kind, start, end };
  }
  if (isIndex(c.document_index)) citation.documentIndex = c.document_index;
  const title = nonEmpty(c.title) ?? nonEmpty(c.document_title);
  if (title !== undefined) citation.title = title;
  const snippet = nonEmpty(c.cited_text);
  if (snippet !== undefined) citation.snippet = snippet;
  return citation.url !== undefined || citation.documentIndex !== undefined || citation.location !== undefined || citation.snippet !== undefined
    ? citation
    : undefined;
}

const nonEmpty = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
