/**
 * What an answer cost, in USD, as `costOf` reckons it from a `PriceTable` of yours (never a price
 * rxllm guessed). Every figure is rounded to 1e-9 USD (a nano-dollar), and `total` is the sum of
 * the parts. The parts are disjoint: `input` the input tokens not read from a cache, `cachedInput`
 * those read from it, `output` the output tokens not spent thinking, `reasoning` those spent
 * thinking.
 *
 * @example
 * // 1,000 input tokens of which 400 cached, 300 output tokens of which 100 reasoning,
 * // at { input: 2, cachedInput: 0.5, output: 8 } USD per million tokens:
 * // { total: 0.0038, input: 0.0012, cachedInput: 0.0002, output: 0.0016, reasoning: 0.0008, currency: 'USD' }
 */
export interface Cost {
  /** the whole cost: the sum of the parts */
  total: number;
  /** the input tokens not read from a cache, at the `input` price (absent when a price function gave only a total) */
  input?: number;
  /** the input tokens read from a cache, at the `cachedInput` price, else the `input` price (present when the usage counts them) */
  cachedInput?: number;
  /** the output tokens not spent thinking, at the `output` price (absent when a price function gave only a total) */
  output?: number;
  /** the output tokens spent thinking, at the `reasoning` price, else the `output` price (present when the usage counts them) */
  reasoning?: number;
  currency: 'USD';
}
