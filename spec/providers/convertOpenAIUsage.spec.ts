import { convertOpenAIUsage } from '../../providers/openai-compatible/convertOpenAIUsage';

describe('convertOpenAIUsage', () => {
  test("OpenAI's completion_tokens include the reasoning tokens: output as sent", () => {
    expect(convertOpenAIUsage({ prompt_tokens: 15, completion_tokens: 78, total_tokens: 93, completion_tokens_details: { reasoning_tokens: 64 } })).toEqual({
      inputTokens: 15,
      outputTokens: 78,
      totalTokens: 93,
      reasoningTokens: 64,
    });
  });

  test("xAI's completion_tokens leave them out (prompt + completion + reasoning = total): output is completion + reasoning", () => {
    expect(convertOpenAIUsage({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 303, completion_tokens_details: { reasoning_tokens: 290 } })).toEqual({
      inputTokens: 12,
      outputTokens: 291,
      totalTokens: 303,
      reasoningTokens: 290,
    });
  });

  test('no total, or no reasoning: nothing is added', () => {
    expect(convertOpenAIUsage({ prompt_tokens: 12, completion_tokens: 1, completion_tokens_details: { reasoning_tokens: 290 } }).outputTokens).toBe(1);
    expect(convertOpenAIUsage({ prompt_tokens: 12, completion_tokens: 1, total_tokens: 13, completion_tokens_details: { reasoning_tokens: 0 } }).outputTokens).toBe(1);
  });
});
