import * as t from 'io-ts';
import { NonEmptyString } from '../../lib/codec/readable';
import { InlineCitationsConfig } from './inlineCitations';
import { ValidateSourcesConfig } from './validateSources';

/** A date as Perplexity's date filters take it: `%m/%d/%Y`, e.g. `3/1/2025` or `03/01/2025`. */
const PerplexityDate = new t.Type<string, string, unknown>(
  'a date as M/D/YYYY (e.g. 3/1/2025)',
  (u): u is string => typeof u === 'string' && /^(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/\d{4}$/.test(u),
  (u, c) => (typeof u === 'string' && /^(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])\/\d{4}$/.test(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

const Level = t.keyof({ low: null, medium: null, high: null });

/**
 * Perplexity's own options, checked with the common ones by `streamChat$`. The search options are
 * sent as the API's request fields (camelCase here, snake_case on the wire); `inlineCitations` and
 * `validateSources` are rxllm operators on the stream and are not sent.
 *
 * @example
 * streamChat$('perplexity', messages, { searchMode: 'academic', searchRecencyFilter: 'month', inlineCitations: true });
 */
export const PerplexityOptions = t.partial({
  /** which index the search runs on (`search_mode`) */
  searchMode: t.keyof({ web: null, academic: null, sec: null }),
  /** only sources published within this period (`search_recency_filter`) */
  searchRecencyFilter: t.keyof({ hour: null, day: null, week: null, month: null, year: null }),
  /** only (or, with a leading `-`, never) these domains (`search_domain_filter`) */
  searchDomainFilter: t.array(NonEmptyString),
  /** only sources published after / before this date, M/D/YYYY (`search_after_date_filter`, `search_before_date_filter`) */
  searchAfterDateFilter: PerplexityDate,
  searchBeforeDateFilter: PerplexityDate,
  /** only sources updated after / before this date, M/D/YYYY (`last_updated_after_filter`, `last_updated_before_filter`) */
  lastUpdatedAfterFilter: PerplexityDate,
  lastUpdatedBeforeFilter: PerplexityDate,
  /** only sources in these languages, ISO 639-1 codes such as `en` (`search_language_filter`) */
  searchLanguageFilter: t.array(NonEmptyString),
  /** answer without searching the web (`disable_search`) */
  disableSearch: t.boolean,
  /** let Perplexity decide whether the question needs a search (`enable_search_classifier`) */
  enableSearchClassifier: t.boolean,
  /** include images in the answer's payloads (`return_images`) */
  returnImages: t.boolean,
  /** include follow-up questions in the answer's payloads (`return_related_questions`) */
  returnRelatedQuestions: t.boolean,
  /** how hard `sonar-reasoning*` and `sonar-deep-research` think (`reasoning_effort`) */
  reasoningEffort: t.keyof({ minimal: null, low: null, medium: null, high: null }),
  /** `concise`: the reasoning steps (searches, thoughts) stream as `reasoning`, sources come at the end (`stream_mode`, default `full`) */
  streamMode: t.keyof({ full: null, concise: null }),
  /** search depth, type and the user's location (`web_search_options`) */
  webSearchOptions: t.partial({
    searchContextSize: Level,
    searchType: t.keyof({ fast: null, pro: null, auto: null }),
    userLocation: t.partial({ latitude: t.number, longitude: t.number, country: NonEmptyString, region: NonEmptyString, city: NonEmptyString }),
    imageResultsEnhancedRelevance: t.boolean,
  }),
  /** rewrite `[n]` markers into links to the n-th source, or `{ format: (n, citation) => string }` (see `inlineCitations`); not sent */
  inlineCitations: t.union([t.boolean, InlineCitationsConfig]),
  /** check the sources' URLs, `{ allow, deny, onInvalid: 'report' | 'drop' }` (see `validateSources`); not sent */
  validateSources: t.union([t.boolean, ValidateSourcesConfig]),
});

/** Perplexity's own options (see the fields' comments). */
export type PerplexityOptions = t.TypeOf<typeof PerplexityOptions>;

/** The request body fields of `PerplexityOptions` (only those given; the stream operators' options are not sent). */
export function perplexityOptionsToBody(options: PerplexityOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const put = (field: string, value: unknown) => {
    if (value !== undefined) body[field] = value;
  };
  put('search_mode', options.searchMode);
  put('search_recency_filter', options.searchRecencyFilter);
  put('search_domain_filter', options.searchDomainFilter);
  put('search_after_date_filter', options.searchAfterDateFilter);
  put('search_before_date_filter', options.searchBeforeDateFilter);
  put('last_updated_after_filter', options.lastUpdatedAfterFilter);
  put('last_updated_before_filter', options.lastUpdatedBeforeFilter);
  put('search_language_filter', options.searchLanguageFilter);
  put('disable_search', options.disableSearch);
  put('enable_search_classifier', options.enableSearchClassifier);
  put('return_images', options.returnImages);
  put('return_related_questions', options.returnRelatedQuestions);
  put('reasoning_effort', options.reasoningEffort);
  put('stream_mode', options.streamMode);
  const web = options.webSearchOptions;
  if (web !== undefined) {
    const wire: Record<string, unknown> = {};
    if (web.searchContextSize !== undefined) wire.search_context_size = web.searchContextSize;
    if (web.searchType !== undefined) wire.search_type = web.searchType;
    if (web.userLocation !== undefined) wire.user_location = { ...web.userLocation };
    if (web.imageResultsEnhancedRelevance !== undefined) wire.image_results_enhanced_relevance = web.imageResultsEnhancedRelevance;
    body.web_search_options = wire;
  }
  return body;
}
