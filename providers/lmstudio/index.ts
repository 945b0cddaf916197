import type { Provider } from '../../lib/provider';
import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { IMAGES_ONLY } from '../openai-compatible/toOpenAIContent';
import { buildLMStudioV1Request } from './buildLMStudioV1Request';
import { createLMStudioV1Decoder } from './createLMStudioV1Decoder';
import { isLMStudioV1Request } from './isLMStudioV1Request';
import { lmstudioEndpoint } from './lmstudioEndpoint';
import { lmstudioFeatures } from './lmstudioFeatures';
import { createLMStudioMetadataMapper } from './lmstudioServerMetadata';
import { LMStudioOptions, lmstudioPath } from './lmstudioOptions';
import { LMStudioWireChunk } from './wireChunk';

/** The Chat Completions side: the OpenAI-compatible endpoint and REST v0. */
const compatible = createOpenAICompatibleProvider<LMStudioOptions, LMStudioWireChunk>({
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
  contentParts: IMAGES_ONLY,
});

/**
 * LM Studio's local server (`http://localhost:1234`). By default its OpenAI-compatible endpoint
 * `POST /v1/chat/completions` with `stream_options.include_usage` (usage on a `choices: []` chunk,
 * LM Studio ≥ 0.3.18). `native` chooses LM Studio's own REST API, for the server's stats:
 * - REST v1, `POST /api/v1/chat` (LM Studio ≥ 0.4.0; `native: 'v1'`, and `native: true` for a
 *   request it can take: a system prompt and user turns, no tools): named events, decoded by
 *   `createLMStudioV1Decoder`; its `chat.end` gives the usage and `metadata.stats` (tokens/s, time
 *   to first token, model load time); tools LM Studio runs itself are `metadata.serverToolCalls`;
 * - REST v0, `POST /api/v0/chat/completions` (`native: 'v0'`, and `native: true` for what v1
 *   cannot take): the Chat Completions stream, whose answers add `stats` (tokens/s, time to first
 *   token, generation time, stop reason), `model_info` and `runtime` → the chunk's
 *   `metadata.stats`, `metadata.modelInfo`, `metadata.runtime`.
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
 *   .subscribe((chunk) => chunk.metadata?.stats && console.log(chunk.metadata.stats)); // { tokensPerSecond: 43.7, timeToFirstTokenSeconds: 0.78 }
 */
export const lmstudio: Provider<LMStudioOptions> = {
  ...compatible,
  buildRequest: (messages, options) =>
    lmstudioEndpoint(messages, options) === 'v1' ? buildLMStudioV1Request(messages, options) : compatible.buildRequest(messages, options),
  // the decoder follows the request: the transport gives every decoder the request it answers
  createDecoder: (context) => (isLMStudioV1Request(context.request) ? createLMStudioV1Decoder(context) : compatible.createDecoder(context)),
};

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { LMStudioOptions } from './lmstudioOptions';
export type { LMStudioStats, LMStudioModelInfo, LMStudioRuntime } from './lmstudioServerMetadata';
export type { LMStudioServerToolCall } from './lmstudioServerToolCall';
export { showPerformance, ShowPerformanceConfig } from './showPerformance';
export type { LMStudioPerformance } from './showPerformance';
export { validateLocal, ValidateLocalConfig } from './validateLocal';
