import { checkConfig } from '../../lib/codec/checkConfig';
import { costOf } from '../../lib/costOf';
import { PriceTable, type Cost, type Usage } from '../../lib';
import { convertAnthropicUsage } from '../../providers/anthropic/convertAnthropicUsage';
import { convertGeminiUsage } from '../../providers/gemini/convertGeminiUsage';
import { convertOllamaUsage } from '../../providers/ollama/convertOllamaUsage';
import { convertOpenAIUsage } from '../../providers/openai-compatible/convertOpenAIUsage';
import { convertResponsesUsage } from '../../providers/openai-responses/convertResponsesUsage';

/** USD per million tokens; round figures, so that the expected costs can be worked out by hand */
const PRICES: PriceTable = {
  openai: {
    'gpt-5*': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5-mini*': { input: 0.25, cachedInput: 0.025, output: 2 },
    'o3-pro': { input: 20, output: 80, reasoning: 40 },
  },
  anthropic: { 'claude-sonnet-4-5*': { input: 3, cachedInput: 0.3, output: 15 } },
  gemini: { 'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 } },
  ollama: { '*': { input: 0, output: 0 } },
};

const cost = (provider: string, model: string | undefined, usage: Usage | undefined, prices: PriceTable = PRICES) => costOf(prices, { provider, model, usage });

describe('costOf', () => {
  describe("each provider's usage, as rxllm maps it: every token billed once", () => {
    test('OpenAI Chat Completions: cached tokens are part of prompt_tokens, reasoning tokens part of completion_tokens', () => {
      const usage = convertOpenAIUsage({
        prompt_tokens: 2000, completion_tokens: 900, total_tokens: 2900,
        prompt_tokens_details: { cached_tokens: 1500 }, completion_tokens_details: { reasoning_tokens: 600 },
      });
      expect(usage).toEqual({ inputTokens: 2000, outputTokens: 900, totalTokens: 2900, reasoningTokens: 600, cachedInputTokens: 1500 });
      // 500 × 1.25 + 1500 × 0.125 = 625 + 187.5; 300 × 10 + 600 × 10 (no reasoning price: as output)
      expect(cost('openai', 'gpt-5-2025-08-07', usage)).toEqual<Cost>({
        total: 0.0098125, input: 0.000625, cachedInput: 0.0001875, output: 0.003, reasoning: 0.006, currency: 'USD',
      });
    });

    test('a server that leaves reasoning out of completion_tokens (xAI) gets it added back: still billed once', () => {
      const usage = convertOpenAIUsage({ prompt_tokens: 100, completion_tokens: 10, total_tokens: 410, completion_tokens_details: { reasoning_tokens: 300 } });
      expect(usage.outputTokens).toBe(310);
      // o3-pro prices reasoning apart: 100 × 20; 10 × 80; 300 × 40
      expect(cost('openai', 'o3-pro', usage)).toEqual<Cost>({ total: 0.0148, input: 0.002, output: 0.0008, reasoning: 0.012, currency: 'USD' });
    });

    test('the Responses API: the same counts under other names', () => {
      const usage = convertResponsesUsage({
        input_tokens: 2000, input_tokens_details: { cached_tokens: 1500 }, output_tokens: 900, output_tokens_details: { reasoning_tokens: 600 }, total_tokens: 2900,
      });
      expect(cost('openai', 'gpt-5', usage)?.total).toBe(0.0098125);
    });

    test("Anthropic: input_tokens leaves the cache out; rxllm's inputTokens adds the reads (billed at cachedInput) and the writes (at input)", () => {
      const usage = convertAnthropicUsage({ input_tokens: 50, cache_read_input_tokens: 10_000, cache_creation_input_tokens: 2000, output_tokens: 400 });
      expect(usage).toMatchObject({ inputTokens: 12_050, cachedInputTokens: 10_000, outputTokens: 400 });
      // 2050 × 3 + 10000 × 0.3 = 6150 + 3000; 400 × 15
      expect(cost('anthropic', 'claude-sonnet-4-5-20250929', usage)).toEqual<Cost>({
        total: 0.01515, input: 0.00615, cachedInput: 0.003, output: 0.006, currency: 'USD',
      });
    });

    test('Gemini: thoughts come apart from the candidates on the wire and are output in rxllm; the cached content is part of the prompt', () => {
      const usage = convertGeminiUsage({ promptTokenCount: 1000, cachedContentTokenCount: 800, candidatesTokenCount: 200, thoughtsTokenCount: 1000, totalTokenCount: 2200 });
      expect(usage).toMatchObject({ inputTokens: 1000, cachedInputTokens: 800, outputTokens: 1200, reasoningTokens: 1000 });
      // 200 × 0.3 + 800 × 0.03 = 60 + 24; 200 × 2.5 + 1000 × 2.5
      expect(cost('gemini', 'gemini-2.5-flash', usage)).toEqual<Cost>({
        total: 0.003084, input: 0.00006, cachedInput: 0.000024, output: 0.0005, reasoning: 0.0025, currency: 'USD',
      });
    });

    test('Ollama: no cache and no reasoning count (thinking is in eval_count); a local model at 0 costs 0', () => {
      const usage = convertOllamaUsage({ prompt_eval_count: 11, eval_count: 18 } as never);
      expect(cost('ollama', 'llama3.2', usage)).toEqual<Cost>({ total: 0, input: 0, output: 0, currency: 'USD' });
      expect(cost('ollama', 'llama3.2', usage, { ollama: { '*': { input: 1, output: 2 } } })).toEqual<Cost>({ total: 0.000047, input: 0.000011, output: 0.000036, currency: 'USD' });
    });

    test('figures are rounded to 1e-9 USD: float noise goes', () => {
      // 0.1 + 0.2 in float is 0.30000000000000004
      expect(cost('x', 'm', { inputTokens: 100_000, outputTokens: 100_000 }, { x: { m: { input: 1, output: 2 } } })?.total).toBe(0.3);
      expect(cost('x', 'm', { inputTokens: 1 }, { x: { m: { input: 0.0001, output: 0 } } })?.total).toBe(0);
    });
  });

  describe('finding the price', () => {
    test('an exact key; else the longest `*` key whose stem begins the model; a key without `*` matches only itself', () => {
      const usage = { inputTokens: 1_000_000, outputTokens: 0 };
      expect(cost('openai', 'gpt-5-mini-2025-08-07', usage)?.total).toBe(0.25);
      expect(cost('openai', 'gpt-5-nano', usage)?.total).toBe(1.25);
      expect(cost('openai', 'gpt-5', usage)?.total).toBe(1.25);
      expect(cost('openai', 'o3-pro', usage)?.total).toBe(20);
      expect(cost('openai', 'o3-pro-2025-06-10', usage)).toBeUndefined();
      expect(cost('openai', 'gpt-4o', usage)).toBeUndefined();
    });

    test("'*' as a model key matches any model (an unnamed one too); '*' as a provider key any provider the table does not price", () => {
      const prices: PriceTable = { openai: { 'gpt-5*': { input: 1, output: 1 } }, '*': { '*': { input: 5, output: 5 } } };
      const usage = { inputTokens: 1_000_000 };
      expect(cost('openai', 'gpt-5', usage, prices)?.total).toBe(1);
      expect(cost('openai', 'gpt-4o', usage, prices)?.total).toBe(5);
      expect(cost('mistral', undefined, usage, prices)?.total).toBe(5);
    });

    test('a price function gets the usage and where it is from; its number is the total, its Cost taken as given (rounded), its undefined no price', () => {
      const calls: unknown[] = [];
      const prices: PriceTable = {
        gemini: {
          // a dearer tier above 200k prompt tokens
          'gemini-2.5-pro*': (usage, at) => {
            calls.push([usage, at]);
            const { inputTokens = 0, outputTokens = 0 } = usage;
            return inputTokens <= 200_000 ? (inputTokens * 1.25 + outputTokens * 10) / 1e6 : (inputTokens * 2.5 + outputTokens * 15) / 1e6;
          },
        },
        myproxy: (usage) => (usage.inputTokens === undefined ? undefined : { total: 0.1 + 0.2, input: 0.3, currency: 'USD' }),
      };
      expect(cost('gemini', 'gemini-2.5-pro', { inputTokens: 100_000, outputTokens: 1000 }, prices)).toEqual<Cost>({ total: 0.135, currency: 'USD' });
      expect(cost('gemini', 'gemini-2.5-pro', { inputTokens: 300_000, outputTokens: 1000 }, prices)).toEqual<Cost>({ total: 0.765, currency: 'USD' });
      expect(calls[0]).toEqual([{ inputTokens: 100_000, outputTokens: 1000 }, { provider: 'gemini', model: 'gemini-2.5-pro' }]);
      expect(cost('myproxy', 'any', { inputTokens: 1 }, prices)).toEqual<Cost>({ total: 0.3, input: 0.3, currency: 'USD' });
      expect(cost('myproxy', 'any', { outputTokens: 1 }, prices)).toBeUndefined();
    });

    test('a price function that returns something else is a ConfigError at its path', () => {
      const prices: PriceTable = { openai: { 'gpt-5*': () => -1 }, x: () => ({ total: 1 }) as never };
      expect(() => cost('openai', 'gpt-5', { inputTokens: 1 }, prices)).toThrow(
        expect.objectContaining({ name: 'ConfigError', issues: [expect.objectContaining({ path: 'openai.gpt-5*', got: '-1' })] }),
      );
      expect(() => cost('x', 'm', { inputTokens: 1 }, prices)).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ path: 'x', got: '{"total":1}' })] }));
    });

    test('no price, no usage or no token count: undefined, never a guess', () => {
      expect(cost('mistral', 'mistral-large-latest', { inputTokens: 10 })).toBeUndefined();
      expect(cost('openai', 'gpt-5', undefined)).toBeUndefined();
      expect(cost('openai', 'gpt-5', {})).toBeUndefined();
      expect(cost('openai', undefined, { inputTokens: 10 })).toBeUndefined();
      // keys of Object.prototype are not prices
      expect(cost('constructor', 'toString', { inputTokens: 10 })).toBeUndefined();
    });
  });

  describe('the PriceTable codec', () => {
    test.each([
      [{ openai: { 'gpt-5': { input: -1, output: 10 } } }, 'openai.gpt-5.input', 'a number ≥ 0', '-1'],
      [{ openai: { 'gpt-5': { input: '1.25', output: 10 } } }, 'openai.gpt-5.input', 'a number ≥ 0', '"1.25"'],
      [{ openai: { 'gpt-5': { input: 1.25 } } }, 'openai.gpt-5.output', 'a number ≥ 0', 'undefined'],
      [{ openai: { 'gpt-5': { input: 1.25, output: 10, cached: 0.125 } } }, 'openai.gpt-5.cached', 'no other key (the prices are input, cachedInput, output, reasoning)', '0.125'],
      [{ openai: { 'gpt-5': 'cheap' } }, 'openai.gpt-5', 'a function (usage, { provider, model }) => number | Cost | undefined or { input, output, cachedInput?, reasoning? } (USD per million tokens)', '"cheap"'],
      [{ openai: 5 }, 'openai', 'a function (usage, { provider, model }) => number | Cost | undefined or { [model]: { input, output, … } or a function }', '5'],
    ])('a bad table is a ConfigError naming the path: %j', (table, path, expected, got) => {
      expect(() => checkConfig(PriceTable, table, 'prices')).toThrow(
        expect.objectContaining({ name: 'ConfigError', message: `Invalid prices: ${path}: expected ${expected}, got ${got}`, issues: [{ path, expected, got }] }),
      );
    });

    test('a good table passes as it is', () => {
      expect(checkConfig(PriceTable, PRICES, 'prices')).toEqual(PRICES);
    });
  });
});
