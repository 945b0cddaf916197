import { createResponseAccumulator, isProviderStreamError, isStreamInterruptedError, streamChat$, type ChatResponse, type Provider, type Usage } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from './collect';
import { expectedOpenAIStyle, fixtureBytes, type OpenAIStyleExpected } from './fixtures';
import { randomCuts, startReplayServer } from './replayServer';

/** The finish reasons the contract maps to, written out here independently of the provider code. */
const FINISH: Record<string, string> = { stop: 'stop', length: 'length', tool_calls: 'tool_calls', function_call: 'tool_calls', content_filter: 'content_filter', error: 'error' };

const usageOf = (raw: Record<string, any> | null): Usage | undefined => {
  if (!raw) return undefined;
  const u: Usage = {};
  if (typeof raw.prompt_tokens === 'number') u.inputTokens = raw.prompt_tokens;
  if (typeof raw.completion_tokens === 'number') u.outputTokens = raw.completion_tokens;
  if (typeof raw.total_tokens === 'number') u.totalTokens = raw.total_tokens;
  if (typeof raw.completion_tokens_details?.reasoning_tokens === 'number') u.reasoningTokens = raw.completion_tokens_details.reasoning_tokens;
  if (typeof raw.prompt_tokens_details?.cached_tokens === 'number') u.cachedInputTokens = raw.prompt_tokens_details.cached_tokens;
  return u;
};

type Outcome = { response: ChatResponse; error?: unknown };

/** What the subscriber must end with, from the reference parser's result. */
function check(name: string, expected: OpenAIStyleExpected, { response, error }: Outcome) {
  const choice = expected.choices['0'];
  expect(response.content).toBe(choice.content + (choice.refusal ?? ''));
  expect(response.reasoning).toBe(choice.reasoning);
  const calls = Object.entries(choice.tool_calls)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, c]) => ({ id: c.id, name: c.name, arguments: c.parsed_arguments, argumentsText: c.arguments }));
  expect(response.toolCalls.map(({ id, name, arguments: args, argumentsText }) => ({ id, name, arguments: args, argumentsText }))).toEqual(calls);

  if (error !== undefined) {
    // the error says what the subscriber had received
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
  }
  if (expected.errors.length > 0) {
    expect(isProviderStreamError(error)).toBe(true);
    return;
  }
  if (!expected.done && !choice.finish_reason) {
    // an excerpt: cut before its end, so it must fail as truncated, never pass as a whole answer
    expect(isStreamInterruptedError(error)).toBe(true);
    return;
  }
  expect(error).toBeUndefined();
  expect(response.finishReason).toBe(choice.finish_reason ? FINISH[choice.finish_reason] ?? 'other' : undefined);
  if (choice.finish_reason) expect(response.metadata.rawFinishReason).toBe(choice.finish_reason);
  expect(response.usage).toEqual(usageOf(expected.usage as Record<string, any> | null));
  expect(response.id).toBe(expected.ids.find((id) => id) ?? undefined);
  expect(response.model).toBe(expected.models.find((m) => m) ?? undefined);
  void name;
}

/**
 * Replays each fixture through a loopback server, whole and cut at random byte offsets (one seed
 * after another), and checks the assembled answer against the reference result.
 */
export function describeOpenAIStyleConformance(fixtures: string[], provider: string | Provider<any>, seeds = 50) {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const run = async (body: Buffer, cuts: number[]): Promise<Outcome> => {
    server.respondWith({ body, cuts });
    const { chunks, error } = await collect(streamChat$(provider, [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'sk-test-replay' }));
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    return { response: accumulator.snapshot(), error };
  };

  for (const name of fixtures) {
    describe(name, () => {
      const body = fixtureBytes(name);
      const expected = expectedOpenAIStyle(name);

      test('whole body', async () => {
        check(name, expected, await run(body, []));
      });

      test(`split at random byte offsets, ${seeds} seeds`, async () => {
        for (let seed = 1; seed <= seeds; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
          try {
            check(name, expected, await run(body, cuts));
          } catch (error) {
            throw new Error(`${name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
          }
        }
      });
    });
  }
}
