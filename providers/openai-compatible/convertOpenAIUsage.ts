import type { Usage } from '../../lib/types/usage';
import type { OpenAIWireUsage } from './wireChunk';

/** `prompt_tokens`, `completion_tokens`, … → `Usage`; absent counts stay absent. */
export function convertOpenAIUsage(wire: OpenAIWireUsage): Usage {
  const usage: Usage = {};
  if (typeof wire.prompt_tokens === 'number') usage.inputTokens = wire.prompt_tokens;
  if (typeof wire.completion_tokens === 'number') usage.outputTokens = wire.completion_tokens;
  if (typeof wire.total_tokens === 'number') usage.totalTokens = wire.total_tokens;
  // OpenAI nests it under `completion_tokens_details`, Perplexity puts it at the top
  const reasoning = wire.completion_tokens_details?.reasoning_tokens ?? wire.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
  const cached = wire.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cachedInputTokens = cached;
  return usage;
}
