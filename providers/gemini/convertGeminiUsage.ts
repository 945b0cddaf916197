import type { Usage } from '../../lib/types/usage';
import type { GeminiWireUsage } from './wireResponse';

/**
 * A Gemini `usageMetadata` snapshot → `Usage`, so that input + output = total:
 * - `inputTokens` = `promptTokenCount` + `toolUsePromptTokenCount` (the results of tools the server
 *   ran — Google Search, code execution, URL context, MCP — read back into the prompt, billed as input);
 * - `outputTokens` = `candidatesTokenCount` + `thoughtsTokenCount` (the candidates count leaves the
 *   thinking out; thinking is billed as output, and OpenAI and Anthropic count it in the output), with
 *   the thoughts also in `reasoningTokens`;
 * - `cachedInputTokens` = `cachedContentTokenCount`, a part of `promptTokenCount` (not added again);
 * - `totalTokens` = `totalTokenCount`, as sent.
 * Google's JSON leaves zero counts out: a count absent beside others is 0, and a usage with no count
 * at all (Vertex's `{ trafficType }` snapshots) stays empty.
 *
 * @example
 * convertGeminiUsage({ promptTokenCount: 22, toolUsePromptTokenCount: 124, candidatesTokenCount: 101, thoughtsTokenCount: 573, totalTokenCount: 820 });
 * // { inputTokens: 146, outputTokens: 674, totalTokens: 820, reasoningTokens: 573 }
 */
export function convertGeminiUsage(wire: GeminiWireUsage): Usage {
  const usage: Usage = {};
  const prompt = wire.promptTokenCount;
  const toolUse = wire.toolUsePromptTokenCount;
  const candidates = wire.candidatesTokenCount;
  const thoughts = wire.thoughtsTokenCount;
  if (typeof prompt === 'number' || typeof toolUse === 'number') usage.inputTokens = (prompt ?? 0) + (toolUse ?? 0);
  if (typeof candidates === 'number' || typeof thoughts === 'number') usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (typeof wire.totalTokenCount === 'number') usage.totalTokens = wire.totalTokenCount;
  if (typeof thoughts === 'number') usage.reasoningTokens = thoughts;
  if (typeof wire.cachedContentTokenCount === 'number') usage.cachedInputTokens = wire.cachedContentTokenCount;
  return usage;
}
