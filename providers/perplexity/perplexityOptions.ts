import * as t from 'io-ts';
import { NonEmptyString } from '../../lib/codec/readable';

/**
 * Perplexity's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('perplexity', messages, { searchMode: 'academic', searchRecencyFilter: 'month' });
 */
export const PerplexityOptions = t.partial({
  /** which index the search runs on (`search_mode`) */
  searchMode: t.keyof({ web: null, academic: null, sec: null }),
  /** only sources published within this period (`search_recency_filter`) */
  searchRecencyFilter: t.keyof({ hour: null, day: null, week: null, month: null, year: null }),
  /** only (or, with a leading `-`, never) these domains (`search_domain_filter`) */
  searchDomainFilter: t.array(NonEmptyString),
});
export type PerplexityOptions = t.TypeOf<typeof PerplexityOptions>;

/** The request body fields of `PerplexityOptions` (only those given). */
export function perplexityOptionsToBody(options: PerplexityOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.searchMode !== undefined) body.search_mode = options.searchMode;
  if (options.searchRecencyFilter !== undefined) body.search_recency_filter = options.searchRecencyFilter;
  if (options.searchDomainFilter !== undefined) body.search_domain_filter = options.searchDomainFilter;
  return body;
}
