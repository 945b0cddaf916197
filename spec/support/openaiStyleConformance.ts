import {
  createResponseAccumulator,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatResponse,
  type Chunk,
  type Citation,
  type Provider,
  type ProviderId,
  type Usage,
} from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from './collect';
import { expectedOpenAIStyle, fixtureBytes, type OpenAIStyleExpected } from './fixtures';
import { inProcessReplay } from './inProcessReplay';
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

/**
 * Perplexity's sources as the contract wants them, written out here from the reference result: in
 * `citations` order (the `[n]` markers index it), completed from the search result of the same URL,
 * then search results not cited.
 */
const citationsOf = (expected: OpenAIStyleExpected): Citation[] => {
  const urls = (expected.other_top_level?.citations?.distinct_values[0] ?? []) as string[];
  const results = (expected.other_top_level?.search_results?.distinct_values[0] ?? []) as Array<Record<string, string>>;
  const toCitation = (url: string) => {
    const r = results.find((x) => x.url === url);
    const c: Citation = { url };
    if (r?.title) c.title = r.title;
    if (r?.snippet) c.snippet = r.snippet;
    if (r?.date) c.date = r.date;
    return c;
  };
  return [...urls, ...results.map((r) => r.url).filter((url) => !urls.includes(url))].map(toCitation);
};

type Outcome = { response: ChatResponse; chunks: Chunk[]; error?: unknown };

/** What the subscriber must end with, from the reference parser's result. */
function check(name: string, expected: OpenAIStyleExpected, { response, chunks, error }: Outcome) {
  const choice = expected.choices['0'];
  // a leading <think>…</think> block in the text is reasoning: the reference gives the split
  const split = expected.think_split;
  expect(response.content).toBe(split ? split.text : choice.content + (choice.refusal ?? ''));
  expect(response.reasoning).toBe(split ? choice.reasoning + split.reasoning : choice.reasoning);
  const calls = Object.entries(choice.tool_calls)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, c]) => ({ id: c.id, name: c.name, arguments: c.parsed_arguments, argumentsText: c.arguments }));
  expect(response.toolCalls.map(({ id, name, arguments: args, argumentsText }) => ({ id, name, arguments: args, argumentsText }))).toEqual(calls);

  // sources are sent once (the first chunk that has them), never repeated per chunk
  expect(response.citations).toEqual(citationsOf(expected));
  expect(chunks.filter((c) => c.citations).length).toBe(response.citations.length > 0 ? 1 : 0);
  // usage is a final count, emitted at most once: never repeated, never summed
  expect(chunks.filter((c) => c.usage).length).toBeLessThanOrEqual(1);

  if (error !== undefined) {
    // the error says what the subscriber had received
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
  }
  if (expected.errors.length > 0) {
    expect(isProviderStreamError(error)).toBe(true);
    // the error chunk's own usage (OpenRouter sends its only usage there) reaches the subscriber
    // before the error; the reference parser set such chunks aside, so it is taken from the error record
    const errorUsage = [...expected.errors].reverse().find((e) => (e as { usage?: unknown }).usage) as { usage?: Record<string, any> } | undefined;
    expect(response.usage).toEqual(usageOf(errorUsage?.usage ?? (expected.usage as Record<string, any> | null)));
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
 * Replays each fixture whole through a loopback server, and cut at random byte offsets (one seed
 * after another) in process, and checks the assembled answer against the reference result.
 */
export function describeOpenAIStyleConformance(fixtures: string[], provider: ProviderId | Provider<any>, seeds = 50) {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (body: Buffer, cuts: number[], over: 'http' | 'in process' = 'http'): Promise<Outcome> => {
    (over === 'http' ? server : inProcess).respondWith({ body, cuts });
    const { chunks, error } = await collect(streamChat$(provider, [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'sk-test-replay' }));
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    return { response: accumulator.snapshot(), chunks, error };
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
            check(name, expected, await run(body, cuts, 'in process'));
          } catch (error) {
            throw new Error(`${name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
          }
        }
      });
    });
  }
}
