import { externalFixtures } from '../support/externalFixtures';
import { isProviderStreamError } from '../../lib';
import { describeExternalConformance, expectPeerReading, type Difference } from '../support/externalConformance';

/**
 * xAI's `completion_tokens` leave the reasoning tokens out (prompt + completion + reasoning = total):
 * rxllm adds them, as @ai-sdk/xai does (the bodies vercel-xai-xai-*), where @ai-sdk/openai-compatible
 * reports `completion_tokens` as they are.
 */
const xaiOutputTokens: Difference = {
  reason: "xAI's completion_tokens leave reasoning out: rxllm's output tokens add it, as @ai-sdk/xai does (@ai-sdk/openai-compatible does not)",
  check: (expected, outcome, body) => {
    const usage = outcome.response.usage!;
    expect(usage.outputTokens).toBe(expected.usage!.outputTokens + usage.reasoningTokens!);
    expect(usage.inputTokens! + usage.outputTokens!).toBe(usage.totalTokens);
    expectPeerReading({ ...expected, usage: { ...expected.usage, outputTokens: usage.outputTokens! } }, outcome, body);
  },
};

/**
 * The Chat Completions bodies other projects recorded from OpenAI, Azure, xAI, DeepSeek, Groq, Mistral,
 * Perplexity and other compatible servers (external/, `api: chat-completions`), each read by its
 * provider and compared with the peer's reading. The bodies rxllm reads otherwise, with the reason:
 */
const DIFFERENCES: Record<string, Difference> = {
  'ruby-llm-with-extended-thinking-gpustack-qwen3-streams-thinking-content-when-available-0': {
    reason: "the stream ends with llama.cpp's `error:` line: the peer completes quietly, rxllm fails with the server's message and the partial answer",
    check: (expected, { response, error }) => {
      expect(isProviderStreamError(error) && (error as Error).message).toMatch(/failed to decode, try again, increasing context size or reducing parallel/);
      expect((error as { partial?: unknown }).partial).toEqual(response);
      expect({ content: response.content, reasoning: response.reasoning, finishReason: response.finishReason }).toEqual({ content: expected.content, reasoning: expected.reasoning, finishReason: undefined });
    },
  },
  'vercel-openai-compatible-xai-text': xaiOutputTokens,
  'vercel-openai-compatible-xai-tool-call': xaiOutputTokens,
};

const fixtures = externalFixtures('chat-completions');
for (const provider of ['openai', 'mistral', 'perplexity'] as const) {
  describeExternalConformance(`Chat Completions conformance on the streams other projects recorded: ${provider}`, {
    fixtures: fixtures.filter((f) => f.provider === provider),
    provider,
    differences: Object.fromEntries(Object.entries(DIFFERENCES).filter(([name]) => fixtures.find((f) => f.name === name)?.provider === provider)),
    seeds: 20,
  });
}

test('the manifest lists 86 recorded Chat Completions streams, each read by a provider rxllm has', () => {
  expect(fixtures).toHaveLength(86);
  expect(new Set(fixtures.map((f) => f.provider))).toEqual(new Set(['openai', 'mistral', 'perplexity']));
});
