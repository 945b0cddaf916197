import type { Usage } from '../../lib/types/usage';

/**
 * The final response's `usage` → `Usage`: `input_tokens` (cached ones included, as the API counts
 * them), `input_tokens_details.cached_tokens`, `output_tokens` (reasoning included),
 * `output_tokens_details.reasoning_tokens`, `total_tokens`. Counts that are not numbers are left out.
 */
export function convertResponsesUsage(raw: Record<string, unknown>): Usage {
  const usage: Usage = {};
  const count = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : undefined);
  const details = (value: unknown) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {});
  const input = count(raw.input_tokens);
  const cached = count(details(raw.input_tokens_details).cached_tokens);
  const output = count(raw.output_tokens);
  const reasoning = count(details(raw.output_tokens_details).reasoning_tokens);
  const total = count(raw.total_tokens);
  if (input !== undefined) usage.inputTokens = input;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  if (output !== undefined) usage.outputTokens = output;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  if (total !== undefined) usage.totalTokens = total;
  return usage;
}
