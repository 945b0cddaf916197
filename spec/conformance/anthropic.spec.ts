import { createResponseAccumulator, isProviderStreamError, isStreamInterruptedError, streamChat$, type ChatResponse, type Usage } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { expectedByName, fixtureBytes, fixtureNames } from '../support/fixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/** The reference parser's result for one recorded stream (EXPECTED.json). */
interface AnthropicExpected {
  blocks: Array<{ type: string; text?: string; thinking?: string; signature?: string; id?: string; name?: string; input?: unknown; rawInputJson?: string; stopped: boolean }>;
  stop_reason: string | null;
  usage: Record<string, any>;
  error: { type: string; message: string } | null;
  sawMessageStop: boolean;
  model: string;
  id: string;
}

/** The contract's mapping of Anthropic stop reasons, written out here independently of the provider code. */
const FINISH: Record<string, string> = { end_turn: 'stop', stop_sequence: 'stop', max_tokens: 'length', tool_use: 'tool_calls', refusal: 'content_filter', pause_turn: 'other' };

/** Usage as the contract defines it: input counts the cached tokens too, total is input + output. */
function usageOf(raw: Record<string, any>): Usage {
  const u: Usage = {};
  const cacheRead = raw.cache_read_input_tokens;
  u.inputTokens = raw.input_tokens + (raw.cache_creation_input_tokens ?? 0) + (cacheRead ?? 0);
  if (typeof cacheRead === 'number') u.cachedInputTokens = cacheRead;
  u.outputTokens = raw.output_tokens;
  if (typeof raw.output_tokens_details?.thinking_tokens === 'number') u.reasoningTokens = raw.output_tokens_details.thinking_tokens;
  u.totalTokens = u.inputTokens + raw.output_tokens;
  return u;
}

/** `{}` for a call streamed with no argument text, the parsed JSON when complete, `undefined` when cut short. */
function argumentsOf(raw: string): unknown {
  if (raw === '') return {};
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

type Outcome = { response: ChatResponse; error?: unknown };

function check(expected: AnthropicExpected, { response, error }: Outcome) {
  const join = (type: string, field: 'text' | 'thinking') =>
    expected.blocks.filter((b) => b.type === type).map((b) => b[field] ?? '').join('');
  expect(response.content).toBe(join('text', 'text'));
  expect(response.reasoning).toBe(join('thinking', 'thinking'));

  const tools = expected.blocks.filter((b) => b.type === 'tool_use');
  expect(response.toolCalls).toEqual(
    tools.map((b, index) => ({ index, id: b.id, name: b.name, arguments: argumentsOf(b.rawInputJson ?? ''), argumentsText: b.rawInputJson })),
  );
  // a finished tool block parses to the input the reference parser found
  tools.forEach((b, i) => b.stopped && expect(response.toolCalls[i].arguments).toEqual(b.input));

  const thinking = expected.blocks.filter((b) => b.type === 'thinking');
  if (thinking.length > 0) expect(response.metadata.thinkingSignature).toBe(thinking[thinking.length - 1].signature);

  expect(response.id).toBe(expected.id);
  expect(response.model).toBe(expected.model);

  if (error !== undefined) {
    // the error says exactly what the subscriber had received
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
  }
  if (expected.error) {
    expect(isProviderStreamError(error)).toBe(true);
    expect(error).toMatchObject({ errorType: expected.error.type, retryable: true });
    expect((error as Error).message).toContain(expected.error.message);
    expect(response.finishReason).toBeUndefined();
    expect(response.usage?.inputTokens).toBe(expected.usage.input_tokens);
    return;
  }
  if (!expected.sawMessageStop) {
    expect(isStreamInterruptedError(error)).toBe(true);
    return;
  }
  expect(error).toBeUndefined();
  expect(response.finishReason).toBe(FINISH[expected.stop_reason!] ?? 'other');
  expect(response.metadata.rawFinishReason).toBe(expected.stop_reason);
  expect(response.usage).toEqual(usageOf(expected.usage));
}

describe('Anthropic conformance on recorded streams', () => {
  const SEEDS = 50;
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  // the whole body over HTTP, the random cuts in process
  const inProcess = inProcessReplay();

  const run = async (body: Buffer, cuts: number[], over: 'http' | 'in process' = 'http'): Promise<Outcome> => {
    (over === 'http' ? server : inProcess).respondWith({ body, cuts });
    const { chunks, error } = await collect(
      streamChat$('anthropic', [{ role: 'user', content: 'replay' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-ant-test-replay' }),
    );
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    return { response: accumulator.snapshot(), error };
  };

  const names = fixtureNames('anthropic-');
  test('every recorded Anthropic stream has an expected result', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) expect(expectedByName(name)).toBeDefined();
  });

  for (const name of names) {
    describe(name, () => {
      const body = fixtureBytes(name);
      const expected = expectedByName(name) as unknown as AnthropicExpected;

      test('whole body', async () => {
        check(expected, await run(body, []));
      });

      test(`split at random byte offsets, ${SEEDS} seeds`, async () => {
        for (let seed = 1; seed <= SEEDS; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
          try {
            check(expected, await run(body, cuts, 'in process'));
          } catch (error) {
            throw new Error(`${name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
          }
        }
      });
    });
  }
});
