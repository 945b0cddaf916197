import * as t from 'io-ts';
import { fn, NonNegativeNumber } from '../codec/readable';
import { refineObject } from '../codec/refineObject';
import type { Cost } from './cost';
import type { Usage } from './usage';

const PRICE_NAMES: readonly string[] = ['input', 'cachedInput', 'output', 'reasoning'];

/**
 * The prices of one model, in USD per million tokens: `input` and `output`, and where the provider
 * prices them apart `cachedInput` (input tokens read from its cache; billed as `input` when absent)
 * and `reasoning` (output tokens spent thinking; billed as `output` when absent). Any other key is
 * refused, so that a typo (`cached`) cannot leave cached tokens silently billed at the full price.
 *
 * @example
 * const gpt5: ModelPrice = { input: 1.25, cachedInput: 0.125, output: 10 };
 */
export const ModelPrice = refineObject(
  t.intersection(
    [t.type({ input: NonNegativeNumber, output: NonNegativeNumber }), t.partial({ cachedInput: NonNegativeNumber, reasoning: NonNegativeNumber })],
    '{ input, output, cachedInput?, reasoning? } (USD per million tokens)',
  ),
  (price) => {
    const other = Object.keys(price).find((key) => !PRICE_NAMES.includes(key));
    return other === undefined ? undefined : { at: other, expected: `no other key (the prices are ${PRICE_NAMES.join(', ')})` };
  },
);
export type ModelPrice = t.TypeOf<typeof ModelPrice>;

/**
 * A price of your own for what a table cannot say (a tier by prompt length, a per-request fee, a
 * currency converted): `(usage, { provider, model }) => USD | Cost | undefined`. A number is the
 * total; `undefined` means no price applies.
 *
 * @example
 * // Gemini 2.5 Pro: a dearer tier above 200k prompt tokens (figures for illustration only)
 * const tiered: PriceFunction = ({ inputTokens = 0, outputTokens = 0 }) =>
 *   inputTokens <= 200_000 ? (inputTokens * 1.25 + outputTokens * 10) / 1e6 : (inputTokens * 2.5 + outputTokens * 15) / 1e6;
 */
export const PriceFunction = fn<(usage: Usage, at: { provider: string; model?: string }) => number | Cost | undefined>(
  'a function (usage, { provider, model }) => number | Cost | undefined',
);
export type PriceFunction = t.TypeOf<typeof PriceFunction>;

/** The prices of one provider's models: model key → `ModelPrice` or `PriceFunction`. */
const ModelPrices = t.record(t.string, t.union([PriceFunction, ModelPrice]), '{ [model]: { input, output, … } or a function }');

/**
 * Your prices, per provider id and model, in USD per million tokens — rxllm has none of its own
 * (prices change; take them from each provider's pricing page). `costOf` finds a model's price:
 *
 * 1. under the provider's id (`openai`, `anthropic`, a custom provider's id), else under `'*'`;
 * 2. there, the model's exact key; else the longest key ending in `*` whose stem begins the model
 *    (`'gpt-5-mini*'` before `'gpt-5*'` for `gpt-5-mini-2025-08-07`); `'*'` alone, the empty stem,
 *    matches any model. A key without `*` matches only itself: `'gpt-5'` does not price
 *    `gpt-5-2025-08-07` (the model as the API names it in its answer), so no price is guessed from
 *    a model's near namesake;
 * 3. a provider's entry may itself be a `PriceFunction` (every model of it).
 *
 * The model is the one the answer names (`chunk.model`), which may be a dated snapshot of the one
 * asked for.
 *
 * @example
 * const prices: PriceTable = {
 *   openai: { 'gpt-5*': { input: 1.25, cachedInput: 0.125, output: 10 }, 'gpt-5-mini*': { input: 0.25, cachedInput: 0.025, output: 2 } },
 *   anthropic: { 'claude-sonnet-4-5*': { input: 3, cachedInput: 0.3, output: 15 } },
 *   ollama: { '*': { input: 0, output: 0 } },
 * };
 */
export const PriceTable = t.record(t.string, t.union([PriceFunction, ModelPrices]), '{ [provider]: { [model]: prices } or a function }');
export type PriceTable = t.TypeOf<typeof PriceTable>;
