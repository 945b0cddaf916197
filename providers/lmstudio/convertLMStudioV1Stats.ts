import type { Usage } from '../../lib/types/usage';
import type { LMStudioStats } from './lmstudioServerMetadata';
import type { LMStudioV1WireStats } from './wireV1Event';

/**
 * REST v1's `chat.end` `result.stats` → the chunk's `usage` and `metadata.stats`: `input_tokens`,
 * `total_output_tokens` (reasoning included) and `reasoning_output_tokens` are the usage
 * (`totalTokens` = input + output when both are known); `tokens_per_second`,
 * `time_to_first_token_seconds` and `model_load_time_seconds` are the stats, under the keys the
 * v0 stats use (seconds stay seconds). Absent figures stay absent; either part is `undefined`
 * when it has none.
 *
 * @example
 * convertLMStudioV1Stats({ input_tokens: 329, total_output_tokens: 268, reasoning_output_tokens: 5, tokens_per_second: 43.73, time_to_first_token_seconds: 0.781 });
 * // { usage: { inputTokens: 329, outputTokens: 268, reasoningTokens: 5, totalTokens: 597 },
 * //   stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781 } }
 */
export function convertLMStudioV1Stats(wire: LMStudioV1WireStats): { usage?: Usage; stats?: LMStudioStats } {
  const usage: Usage = {};
  if (typeof wire.input_tokens === 'number') usage.inputTokens = wire.input_tokens;
  if (typeof wire.total_output_tokens === 'number') usage.outputTokens = wire.total_output_tokens;
  if (typeof wire.reasoning_output_tokens === 'number') usage.reasoningTokens = wire.reasoning_output_tokens;
  if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) usage.totalTokens = usage.inputTokens + usage.outputTokens;
  const stats: LMStudioStats = {};
  if (typeof wire.tokens_per_second === 'number') stats.tokensPerSecond = wire.tokens_per_second;
  if (typeof wire.time_to_first_token_seconds === 'number') stats.timeToFirstTokenSeconds = wire.time_to_first_token_seconds;
  if (typeof wire.model_load_time_seconds === 'number') stats.modelLoadTimeSeconds = wire.model_load_time_seconds;
  return {
    usage: Object.keys(usage).length > 0 ? usage : undefined,
    stats: Object.keys(stats).length > 0 ? stats : undefined,
  };
}
