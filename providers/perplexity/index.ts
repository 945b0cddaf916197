import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { createPerplexityExtrasMapper } from './createPerplexityExtrasMapper';
import { mapPerplexityUsageExtras } from './mapPerplexityUsageExtras';
import { perplexityFeatures } from './perplexityFeatures';
import { PerplexityOptions, perplexityOptionsToBody } from './perplexityOptions';
import { PerplexityWireChunk } from './wireChunk';
import { IMAGES_ONLY } from '../openai-compatible/toOpenAIContent';

/**
 * Perplexity Sonar chat completions (`POST {baseURL}/chat/completions` — no `/v1`; OpenAI-style
 * SSE). The API key comes from `PERPLEXITY_API_KEY` when `apiKey` is not given. What differs from
 * OpenAI on the wire, and what rxllm does with it:
 * - CRLF line endings, `: ping` comments, and no `[DONE]`: the stream is complete after the
 *   `chat.completion.done` payload with its finish reason;
 * - `citations` and `search_results`, repeated in every payload → `chunk.citations` once, on the
 *   first chunk that has them (in `citations` order, so `[n]` in the text is `citations[n - 1]`);
 * - `usage` in every payload is a running total → emitted once, the last one, on the finish chunk,
 *   its `reasoning_tokens` → `usage.reasoningTokens`, its `cost` (USD, Perplexity's own figure) →
 *   `metadata.cost`, its `citation_tokens`, `num_search_queries`, `search_context_size` →
 *   `metadata.searchUsage`;
 * - `streamMode: 'concise'` (`stream_mode`): `chat.reasoning` payloads carry `reasoning_steps` →
 *   their thoughts are `reasoning`, the steps as sent `metadata.reasoningSteps`; the sources come
 *   with the `done` payloads;
 * - `sonar-reasoning` models open the text with `<think>…</think>` → `reasoning`, also when a tag
 *   is cut across deltas;
 * - `message.content` holds the whole text so far and is ignored (the deltas are the text).
 *
 * Provider options sent as request fields: `searchMode` → `search_mode`, `searchRecencyFilter`,
 * `searchDomainFilter`, `searchAfterDateFilter` / `searchBeforeDateFilter`, `lastUpdatedAfterFilter` /
 * `lastUpdatedBeforeFilter`, `searchLanguageFilter`, `disableSearch`, `enableSearchClassifier`, `streamMode`,
 * `returnImages`, `returnRelatedQuestions`, `reasoningEffort`, `webSearchOptions` (snake_case on the
 * wire). Stream features: `inlineCitations` rewrites `[n]` markers into links to the sources,
 * `validateSources` checks the sources' URLs (see those operators).
 *
 * @example
 * streamChat$(perplexity, [{ role: 'user', content: 'What is Ruby?' }], { model: 'sonar', searchMode: 'web' })
 *   .pipe(toResponse())
 *   .subscribe(({ content, citations }) => console.log(content, citations.map((c) => c.url)));
 */
export const perplexity = createOpenAICompatibleProvider<PerplexityOptions, PerplexityWireChunk>({
  id: 'perplexity',
  baseURL: 'https://api.perplexity.ai',
  path: '/chat/completions',
  defaultModel: 'sonar',
  apiKeyEnv: 'PERPLEXITY_API_KEY',
  includeUsage: true,
  maxTokensField: 'max_tokens',
  structuredOutput: { schema: 'open', strict: 'never' },
  options: { codec: PerplexityOptions, toBody: perplexityOptionsToBody },
  features: perplexityFeatures,
  decoder: {
    payload: PerplexityWireChunk,
    thinkTags: true,
    cumulativeUsage: true,
    createExtrasMapper: createPerplexityExtrasMapper,
    mapUsageExtras: mapPerplexityUsageExtras,
  },
  contentParts: IMAGES_ONLY,
});

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { PerplexityOptions } from './perplexityOptions';
export { inlineCitations, InlineCitationsConfig } from './inlineCitations';
export type { CitationFormat } from './inlineCitations';
export { validateSources, ValidateSourcesConfig } from './validateSources';
export type { InvalidSource, InvalidSourceReason, DroppedSource } from './validateSources';
