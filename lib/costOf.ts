import { ConfigError } from './errors/configError';
import { render } from './codec/reportErrors';
import type { Cost } from './types/cost';
import type { ModelPrice, PriceFunction, PriceTable } from './types/priceTable';
import type { Usage } from './types/usage';

const PER_TOKEN = 1e-6;

/**
 * What `usage` cost at your `prices`, or `undefined` when no price applies (the table has none for
 * the provider and model, see `PriceTable` for how a key matches; or the usage has no token count) —
 * never a guessed price. A table's price bills each token once, on rxllm's normalized `Usage`, where
 * every provider's counts mean the same:
 *
 * - `inputTokens` include the cached ones: `inputTokens − cachedInputTokens` at `input`,
 *   `cachedInputTokens` at `cachedInput` (else `input`);
 * - `outputTokens` include the reasoning ones: `outputTokens − reasoningTokens` at `output`,
 *   `reasoningTokens` at `reasoning` (else `output`).
 *
 * A `PriceFunction` gets the usage as it is; its number is the total, its `Cost` is taken as given.
 * Every figure is rounded to 1e-9 USD. The usage of a stream is already summed over its requests
 * (recovery's attempts, Gemini's hops, a tool run's steps), so its cost is theirs together.
 * Pure, and cheap: `trackMetrics` calls it when the usage changed, `rxllm/otel` for a span.
 *
 * @example
 * const prices: PriceTable = { openai: { 'gpt-5*': { input: 1.25, cachedInput: 0.125, output: 10 } } };
 * costOf(prices, { provider: 'openai', model: 'gpt-5-2025-08-07', usage: { inputTokens: 1000, cachedInputTokens: 800, outputTokens: 500, reasoningTokens: 400 } });
 * // { total: 0.00535, input: 0.00025, cachedInput: 0.0001, output: 0.001, reasoning: 0.004, currency: 'USD' }
 * costOf(prices, { provider: 'anthropic', model: 'claude-opus-4-6', usage: { inputTokens: 10 } }); // undefined
 *
 * @param prices a table checked as `PriceTable` (as `trackMetrics` checks its `prices`)
 * @throws ConfigError when a price function returns neither a number ≥ 0, a `Cost` nor `undefined`
 * @see PriceTable how a provider's and a model's price is found
 */
export function costOf(prices: PriceTable, { provider, model, usage }: { provider: string; model?: string; usage: Usage | undefined }): Cost | undefined {
  if (!usage) return undefined;
  const found = priceOf(prices, provider, model);
  if (!found) return undefined;
  const { price, at } = found;
  if (typeof price === 'function') return checkedCost(price(usage, { provider, model }), at);
  return tableCost(price, usage);
}

/** A table price applied to a usage: each token once, in the part it belongs to. */
function tableCost(price: ModelPrice, usage: Usage): Cost | undefined {
  const { inputTokens, outputTokens, cachedInputTokens, reasoningTokens } = usage;
  if (inputTokens === undefined && outputTokens === undefined) return undefined;
  const cached = Math.min(cachedInputTokens ?? 0, inputTokens ?? 0);
  const reasoning = Math.min(reasoningTokens ?? 0, outputTokens ?? 0);
  const cost: Cost = {
    total: 0,
    input: nano(((inputTokens ?? 0) - cached) * price.input * PER_TOKEN),
    output: nano(((outputTokens ?? 0) - reasoning) * price.output * PER_TOKEN),
    currency: 'USD',
  };
  if (cachedInputTokens !== undefined) cost.cachedInput = nano(cached * (price.cachedInput ?? price.input) * PER_TOKEN);
  if (reasoningTokens !== undefined) cost.reasoning = nano(reasoning * (price.reasoning ?? price.output) * PER_TOKEN);
  cost.total = nano(cost.input! + (cost.cachedInput ?? 0) + cost.output! + (cost.reasoning ?? 0));
  return cost;
}

/** The price for a provider's model: under the provider's id, else under `'*'`; with the path it was found at. */
function priceOf(prices: PriceTable, provider: string, model: string | undefined): { price: ModelPrice | PriceFunction; at: string } | undefined {
  for (const key of provider === '*' ? ['*'] : [provider, '*']) {
    if (!Object.hasOwn(prices, key)) continue;
    const entry = prices[key];
    if (typeof entry === 'function') return { price: entry, at: key };
    const modelKey = modelKeyOf(entry, model);
    if (modelKey !== undefined) return { price: entry[modelKey], at: `${key}.${modelKey}` };
  }
  return undefined;
}

/**
 * The key of a model's price: its exact key, else the longest key ending in `*` whose stem begins
 * the model (`'*'`, the empty stem, begins any, an unnamed model too).
 */
function modelKeyOf(models: Record<string, unknown>, model: string | undefined): string | undefined {
  if (model !== undefined && Object.hasOwn(models, model)) return model;
  let best: string | undefined;
  for (const key of Object.keys(models)) {
    if (!key.endsWith('*') || (best !== undefined && key.length <= best.length)) continue;
    const stem = key.slice(0, -1);
    if (stem === '' || (model !== undefined && model.startsWith(stem))) best = key;
  }
  return best;
}

/** A price function's answer as a `Cost` (rounded like a table's), `undefined` as is; anything else is a `ConfigError` at the function's path. */
function checkedCost(result: unknown, at: string): Cost | undefined {
  if (result === undefined) return undefined;
  if (isAmount(result)) return { total: nano(result), currency: 'USD' };
  if (isCostLike(result)) {
    const cost: Cost = { ...result, total: nano(result.total), currency: 'USD' };
    for (const part of ['input', 'cachedInput', 'output', 'reasoning'] as const) if (cost[part] !== undefined) cost[part] = nano(cost[part]!);
    return cost;
  }
  throw new ConfigError('prices', [{ path: at, expected: 'a price function that returns a number ≥ 0, a Cost { total, currency: "USD", … } or undefined', got: typeof result === 'number' ? String(result) : render(result) }]);
}

const isAmount = (u: unknown): u is number => typeof u === 'number' && Number.isFinite(u) && u >= 0;
const isCostLike = (u: unknown): u is Cost => {
  if (typeof u !== 'object' || u === null) return false;
  const c = u as Record<string, unknown>;
  return c.currency === 'USD' && isAmount(c.total) && ['input', 'cachedInput', 'output', 'reasoning'].every((part) => c[part] === undefined || isAmount(c[part]));
};

/** Rounded to 1e-9 (a nano-dollar): the float noise of `tokens × price / 1e6` goes, and 0.1 + 0.2 reads 0.3. */
const nano = (usd: number) => Math.round(usd * 1e9) / 1e9;
