import type { Attributes } from '@opentelemetry/api';
import { costOf } from '../lib/costOf';
import type { PriceTable } from '../lib/types/priceTable';
import type { Usage } from '../lib/types/usage';

/** The span attribute of each part of a `Cost` (the conventions define none: rxllm's namespace, snake case as theirs). */
const PARTS = [
  ['input', 'rxllm.cost.input'],
  ['cachedInput', 'rxllm.cost.cached_input'],
  ['output', 'rxllm.cost.output'],
  ['reasoning', 'rxllm.cost.reasoning'],
] as const;

/**
 * A run's cost as span attributes, in USD (doubles): `rxllm.cost.total`, and the parts `costOf`
 * gives — `rxllm.cost.input`, `rxllm.cost.cached_input`, `rxllm.cost.output`,
 * `rxllm.cost.reasoning` (a price function that returns a number gives only the total). Nothing when
 * no price applies or no usage was reported. The usage is the run's final one: already summed over
 * recovery's attempts, Gemini's hops and a tool run's steps, so the cost is theirs together.
 *
 * @example
 * costAttributes({ openai: { 'gpt-5*': { input: 1.25, output: 10 } } }, { provider: 'openai', model: 'gpt-5-2025-08-07', usage: { inputTokens: 1000, outputTokens: 500 } });
 * // { 'rxllm.cost.total': 0.00625, 'rxllm.cost.input': 0.00125, 'rxllm.cost.output': 0.005 }
 *
 * @throws ConfigError when a price function returns something else than a price (see `costOf`)
 */
export function costAttributes(prices: PriceTable, run: { provider: string; model: string | undefined; usage: Usage | undefined }): Attributes {
  const cost = costOf(prices, run);
  if (!cost) return {};
  const attributes: Attributes = { 'rxllm.cost.total': cost.total };
  for (const [part, name] of PARTS) if (cost[part] !== undefined) attributes[name] = cost[part];
  return attributes;
}
