import type { Provider } from '../../lib/provider';
import { anthropicFeatures } from './anthropicFeatures';
import { AnthropicOptions } from './anthropicOptions';
import { buildAnthropicRequest } from './buildAnthropicRequest';
import { continueAnthropicFrom } from './continueAnthropicFrom';
import { createAnthropicDecoder } from './createAnthropicDecoder';

/**
 * Anthropic Messages (`POST {baseURL}/messages`, SSE with `event:` names). The API key comes from
 * `ANTHROPIC_API_KEY` when `apiKey` is not given and is sent as `x-api-key`; without `baseURL`,
 * `ANTHROPIC_BASE_URL` is read as @anthropic-ai/sdk reads it (the root: `/v1` is added). System messages go to
 * the top-level `system` field, tool calls and results to `tool_use` / `tool_result` blocks;
 * `thinking: { budgetTokens }` turns on extended thinking, which streams as `reasoning`.
 * `annotateReasoning` frames each thinking block for a UI; `validateQuality` reports repetition
 * loops, empty answers and `max_tokens` cuts (or fails on them). A turn the server pauses
 * (`pause_turn`, a long server tool loop) is sent again with what it brought, and goes on as the
 * same answer (up to `ANTHROPIC_MAX_PAUSE_CONTINUATIONS` times).
 *
 * @example
 * streamChat$(anthropic, [{ role: 'user', content: 'Hi' }], { model: 'claude-sonnet-4-6', thinking: { budgetTokens: 2048 } })
 *   .subscribe((chunk) => chunk.content && process.stdout.write(chunk.content));
 */
export const anthropic: Provider<AnthropicOptions> = {
  id: 'anthropic',
  defaultBaseURL: 'https://api.anthropic.com/v1',
  defaultModel: 'claude-sonnet-4-6',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  // @anthropic-ai/sdk's base URL is the API's root (its default `https://api.anthropic.com`), to which
  // it adds `/v1/messages`; rxllm's includes the `/v1`
  baseURLEnv: { name: 'ANTHROPIC_BASE_URL', toBaseURL: (root) => `${root.replace(/\/+$/, '')}/v1` },
  requiresApiKey: true,
  framing: 'sse',
  prefill: true,
  optionsCodec: AnthropicOptions,
  buildRequest: buildAnthropicRequest,
  createDecoder: createAnthropicDecoder,
  continueFrom: continueAnthropicFrom,
  features: anthropicFeatures,
};

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { AnthropicOptions } from './anthropicOptions';
export { annotateReasoning } from './annotateReasoning';
export type { ReasoningAnnotation } from './annotateReasoning';
export { validateQuality, ValidateQualityConfig } from './validateQuality';
export type { QualityIssue, QualityReport } from './validateQuality';
export { createRepetitionDetector, RepetitionConfig } from './repetitionDetector';
export type { RepetitionDetector, RepetitionFinding } from './repetitionDetector';
