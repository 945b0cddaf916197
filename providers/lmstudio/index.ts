import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { lmstudioFeatures } from './lmstudioFeatures';
import { createLMStudioMetadataMapper } from './lmstudioServerMetadata';
import { LMStudioOptions, lmstudioPath } from './lmstudioOptions';
import { LMStudioWireChunk } from './wireChunk';

/**
 * LM Studio's local server (`http://localhost:1234`). By default its OpenAI-compatible endpoint
 * `POST /v1/chat/completions` with `stream_options.include_usage` (usage on a `choices: []` chunk,
 * LM Studio ≥ 0.3.18); with `native: true` its REST API `POST /api/v0/chat/completions`, whose
 * answers add `stats` (tokens/s, time to first token, generation time, stop reason), `model_info`
 * and `runtime` → the chunk's `metadata.stats`, `metadata.modelInfo`, `metadata.runtime`.
 * No API key is needed; when the server has authentication on, `apiKey` or `LM_API_TOKEN` is sent
 * as a Bearer token. Reasoning arrives as `reasoning_content` / `reasoning`, or inline as a
 * leading `<think>…</think>` block — both become `reasoning`.
 *
 * Stream features: `showPerformance` puts time to first token, tokens/s and generation time on the
 * final chunk (`metadata.performance`, the server's stats when native, measured otherwise);
 * `validateLocal` checks before the chat request that the server answers and has the model loaded
 * (a `LocalServerError` naming the fix otherwise). See those operators.
 *
 * @example
 * streamChat$(lmstudio, [{ role: 'user', content: 'Hi' }], { model: 'qwen/qwen3-4b', native: true })
 *   .subscribe((chunk) => chunk.metadata?.stats && console.log(chunk.metadata.stats));
 */
export const lmstudio = createOpenAICompatibleProvider<LMStudioOptions, LMStudioWireChunk>({
  id: 'lmstudio',
  baseURL: 'http://localhost:1234',
  path: lmstudioPath,
  defaultModel: 'qwen/qwen3-4b',
  apiKeyEnv: 'LM_API_TOKEN',
  requiresApiKey: false,
  includeUsage: true,
  maxTokensField: 'max_tokens',
  options: { codec: LMStudioOptions, toBody: () => ({}) },
  decoder: { payload: LMStudioWireChunk, thinkTags: true, createExtrasMapper: createLMStudioMetadataMapper },
  features: lmstudioFeatures,
});

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { LMStudioOptions } from './lmstudioOptions';
export type { LMStudioStats, LMStudioModelInfo, LMStudioRuntime } from './lmstudioServerMetadata';
export { showPerformance, ShowPerformanceConfig } from './showPerformance';
export type { LMStudioPerformance } from './showPerformance';
export { validateLocal, ValidateLocalConfig } from './validateLocal';
