import type { Usage } from '../../lib/types/usage';
import type { OpenAIWireUsage } from './wireChunk';

/**
 * `prompt_tokens`, `completion_tokens`, … → `Usage`; absent counts stay absent. Output tokens include
 * the reasoning tokens, as OpenAI counts them: a server whose `completion_tokens` leaves them out (xAI:
 * prompt + completion + reasoning = total) has them added, so output is what the model wrote.
 *
 * @example
 * convertOpenAIUsage({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, completion_tokens_details: { reasoning_tokens: 290 } });
 * // { inputTokens: 12, outputTokens: 291, totalTokens: 303, reasoningTokens: 290 }
 */
export function convertOpenAIUsage(wire: OpenAIWireUsage): Usage {
  const usage: Usage = {};
  if (typeof wire.prompt_tokens === 'number') usage.inputTokens = wire.prompt_tokens;
  if (typeof wire.completion_tokens === 'number') usage.outputTokens = wire.completion_tokens;
  if (typeof wire.total_tokens === 'number') usage.totalTokens = wire.total_tokens;
  // OpenAI nests it under `completion_tokens_details`, Perplexity puts it at the top
  const reasoning = wire.completion_tokens_details?.reasoning_tokens ?? wire.reasoning_tokens;
  if (typeof reasoning === 'number') {
    usage.reasoningTokens = reasoning;
    const { prompt_tokens: input, completion_tokens: output, total_tokens: total } = wire;
    if (reasoning > 0 && typeof input === 'number' && typeof output === 'number' && input + output + reasoning === total) usage.outputTokens = output + reasoning;
  }
  const cached = wire.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') usage.cachedInputTokens = cached;
  return usage;
}
