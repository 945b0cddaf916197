import type { Usage } from '../../lib/types/usage';
import type { AnthropicWireUsage } from './wireEvent';

/**
 * Anthropic `usage` → `Usage`. Anthropic's `input_tokens` leaves out the tokens read from or
 * written to the prompt cache; `inputTokens` counts them all, as every other provider does, and
 * `cachedInputTokens` is the part read from the cache. `totalTokens` is input plus output when both
 * are known; `reasoningTokens` is `output_tokens_details.thinking_tokens`. Absent counts stay absent.
 *
 * @example
 * convertAnthropicUsage({ input_tokens: 17, cache_read_input_tokens: 100, output_tokens: 10 });
 * // { inputTokens: 117, cachedInputTokens: 100, outputTokens: 10, totalTokens: 127 }
 */
export function convertAnthropicUsage(wire: AnthropicWireUsage): Usage {
  const usage: Usage = {};
  const input = wire.input_tokens;
  const cacheRead = wire.cache_read_input_tokens;
  if (typeof input === 'number') {
    const cacheWrite = wire.cache_creation_input_tokens;
    usage.inputTokens = input + (typeof cacheWrite === 'number' ? cacheWrite : 0) + (typeof cacheRead === 'number' ? cacheRead : 0);
  }
  if (typeof cacheRead === 'number') usage.cachedInputTokens = cacheRead;
  if (typeof wire.output_tokens === 'number') usage.outputTokens = wire.output_tokens;
  const thinking = wire.output_tokens_details?.thinking_tokens;
  if (typeof thinking === 'number') usage.reasoningTokens = thinking;
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) usage.totalTokens = usage.inputTokens + usage.outputTokens;
  return usage;
}

/**
 * The final usage of a message: the counts of `message_start` overlaid with the non-null ones of
 * `message_delta`. Both are cumulative, so a later count replaces an earlier one; nothing is added.
 */
export function mergeAnthropicUsage(start: AnthropicWireUsage | undefined, delta: AnthropicWireUsage): AnthropicWireUsage {
  if (!start) return delta;
  const merged: AnthropicWireUsage = { ...start };
  for (const key of Object.keys(delta) as Array<keyof AnthropicWireUsage>) {
    const value = delta[key];
    if (value !== null && value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  return merged;
}
