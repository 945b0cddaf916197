import type { Usage } from '../../lib/types/usage';
import type { GeminiWireUsage } from './wireResponse';

/**
 * A Gemini `usageMetadata` snapshot → `Usage`. `candidatesTokenCount` excludes the thinking tokens,
 * so `outputTokens` is candidates + thoughts (what is billed as output, and what OpenAI and Anthropic
 * report as output), with the thoughts also in `reasoningTokens`. Absent counts stay absent.
 *
 * @example
 * convertGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 48, thoughtsTokenCount: 540, totalTokenCount: 598 });
 * // { inputTokens: 10, outputTokens: 588, totalTokens: 598, reasoningTokens: 540 }
 */
export function convertGeminiUsage(wire: GeminiWireUsage): Usage {
  const usage: Usage = {};
  const candidates = wire.candidatesTokenCount;
  const thoughts = wire.thoughtsTokenCount;
  if (typeof wire.promptTokenCount === 'number') usage.inputTokens = wire.promptTokenCount;
  if (typeof candidates === 'number') usage.outputTokens = candidates + (typeof thoughts === 'number' ? thoughts : 0);
  if (typeof wire.totalTokenCount === 'number') usage.totalTokens = wire.totalTokenCount;
  if (typeof thoughts === 'number') usage.reasoningTokens = thoughts;
  if (typeof wire.cachedContentTokenCount === 'number') usage.cachedInputTokens = wire.cachedContentTokenCount;
  return usage;
}
