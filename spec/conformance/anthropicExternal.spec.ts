import { createResponseAccumulator, isParseError, streamChat$, type ChatResponse } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { externalBody, externalExpected, externalFixtures, type ExternalExpected, type ExternalFixture } from '../support/externalFixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts } from '../support/replayServer';

/**
 * The Messages streams other projects recorded (`external/`, `api: 'messages'`), read by rxllm and
 * compared with the peer's reading (`expected/<name>.json`): the official `@anthropic-ai/sdk` for its
 * own and ruby_llm's bodies, `@ai-sdk/anthropic` for vercel's (citations by the official SDK for all).
 * Each body is read whole and at random splits. Where rxllm reads a body otherwise, the reason is
 * listed here, body by body; every other body is equal in every field compared.
 */
interface ReadOtherwise {
  /** the model rxllm reports instead of the peer's */
  model?: string;
  /**
   * several messages back to back in one body (vercel records the steps of a tool loop in one file
   * and merges them): rxllm reads the first, which ends at its `message_stop` as every stream ends at
   * its terminal event; its text is the start of the peer's, its finish this one
   */
  firstMessage?: { finish: string; rawFinish: string };
  /**
   * a `compaction` block's summary is not answer text for rxllm (the peer's text ends with rxllm's),
   * and the usage is the top-level one as sent (the official SDK's), which leaves the compaction
   * iteration out (vercel adds its tokens from `usage.iterations`)
   */
  compaction?: { inputTokens: number; outputTokens: number };
  /** a tool call cut short by max_tokens: rxllm leaves `arguments` undefined (its JSON text is incomplete); the SDK parses the part it has */
  cutToolArguments?: true;
  why: string;
}
const READ_OTHERWISE: Record<string, ReadOtherwise> = {
  'vercel-anthropic-anthropic-fallback': {
    model: 'claude-opus-4-8',
    why: 'vercel reports the model of message_start; the official SDK relabels the message to the fallback block\'s to.model, the model that answered, as rxllm does',
  },
  'vercel-anthropic-anthropic-compaction.1': { compaction: { inputTokens: 612, outputTokens: 2819 }, why: 'a compaction block is the summary of the conversation to send back, not the answer' },
  'vercel-anthropic-anthropic-programmatic-tool-calling.1': { firstMessage: { finish: 'tool_calls', rawFinish: 'tool_use' }, why: 'fifteen messages back to back' },
  'vercel-anthropic-anthropic-tool-search-bm25.1': { firstMessage: { finish: 'tool_calls', rawFinish: 'tool_use' }, why: 'two messages back to back' },
  'vercel-anthropic-anthropic-tool-search-regex.1': { firstMessage: { finish: 'tool_calls', rawFinish: 'tool_use' }, why: 'two messages back to back' },
  'vercel-anthropic-anthropic-tool-search-deferred-bm25': { firstMessage: { finish: 'tool_calls', rawFinish: 'tool_use' }, why: 'three messages back to back' },
  'vercel-anthropic-anthropic-tool-search-deferred-regex': { firstMessage: { finish: 'tool_calls', rawFinish: 'tool_use' }, why: 'three messages back to back' },
  'anthropic-sdk-incomplete-partial-json-response': { cutToolArguments: true, why: 'rxllm parses a tool call\'s arguments only when their JSON is complete' },
};

/**
 * The peer's usage fields, as rxllm names them. A cache count the stream did not send stays absent
 * in rxllm (vercel reports it as 0).
 */
function checkUsage(expected: ExternalExpected, response: ChatResponse) {
  if (!expected.usage) return;
  for (const [name, count] of Object.entries(expected.usage)) {
    const got = response.usage?.[name as keyof NonNullable<ChatResponse['usage']>];
    if (name === 'cachedInputTokens' && count === 0 && got === undefined) continue;
    expect({ [name]: got }).toEqual({ [name]: count });
  }
}

function check(fixture: ExternalFixture, expected: ExternalExpected, response: ChatResponse, error: unknown) {
  const otherwise = READ_OTHERWISE[fixture.name];
  if (otherwise?.firstMessage) expect(expected.content.startsWith(response.content)).toBe(true);
  else if (otherwise?.compaction) expect(expected.content.endsWith(response.content) && response.content.length > 0).toBe(true);
  else expect(response.content).toBe(expected.content);
  expect(response.reasoning).toBe(expected.reasoning);
  expect(response.id).toBe(expected.id);
  expect(response.model).toBe(otherwise?.model ?? expected.model);
  // each cited page once, in the order first cited (the peer lists every citation)
  expect(response.citations.filter((c) => c.url !== undefined).map((c) => c.url)).toEqual([...new Set(expected.citations)]);
  if (expected.error) {
    expect(error).toBeDefined();
    expect(response.finishReason).toBeUndefined();
    return;
  }
  expect(error).toBeUndefined();
  if (otherwise?.firstMessage) {
    expect(response.finishReason).toBe(otherwise.firstMessage.finish);
    expect(response.metadata.rawFinishReason).toBe(otherwise.firstMessage.rawFinish);
    return;
  }
  const calls = response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }));
  expect(calls).toEqual(otherwise?.cutToolArguments ? expected.toolCalls.map((c) => ({ ...c, arguments: undefined })) : expected.toolCalls);
  expect(response.toolCalls.map((c) => c.id)).toEqual(expected.toolCallIds);
  expect(response.finishReason).toBe(expected.finish);
  expect(response.metadata.rawFinishReason).toBe(expected.rawFinish);
  checkUsage(otherwise?.compaction ? { ...expected, usage: { ...expected.usage, ...otherwise.compaction } } : expected, response);
}

describe('Anthropic conformance on streams other projects recorded', () => {
  const SEEDS = 10;
  const replay = inProcessReplay();
  const fixtures = externalFixtures('messages');

  const read = async (body: Buffer, cuts: number[]) => {
    replay.respondWith({ body, cuts });
    const { chunks, error } = await collect(
      streamChat$('anthropic', [{ role: 'user', content: 'replay' }], { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'sk-ant-test-replay' }),
    );
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    const fold = createResponseAccumulator();
    for (const c of chunks) fold.add(c);
    return { response: fold.snapshot(), error };
  };

  test('the manifest lists the 50 Messages bodies', () => {
    expect(fixtures).toHaveLength(50);
    for (const name of Object.keys(READ_OTHERWISE)) expect(fixtures.map((f) => f.name)).toContain(name);
  });

  for (const fixture of fixtures) {
    test(`${fixture.name}: whole and at random splits (${SEEDS} seeds)`, async () => {
      const body = externalBody(fixture);
      const expected = externalExpected(fixture);
      const whole = await read(body, []);
      check(fixture, expected, whole.response, whole.error);
      for (let seed = 1; seed <= SEEDS; seed++) {
        const random = seededRandom(seed * 104729 + body.length);
        const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
        const split = await read(body, cuts);
        try {
          expect(split.response).toEqual(whole.response);
          expect(String(split.error)).toBe(String(whole.error));
        } catch (error) {
          throw new Error(`seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
        }
      }
    });
  }

  test('vercel-anthropic-spliced-message-start: a second message spliced in is a ParseError, and nothing of it is in the partial answer', async () => {
    const fixture = fixtures.find((f) => f.name === 'vercel-anthropic-spliced-message-start')!;
    const { response, error } = await read(externalBody(fixture), []);
    expect(isParseError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'framing', retryable: false });
    expect((error as Error).message).toContain('msg_second');
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
    expect(response.id).toBe('msg_first');
    expect(response.reasoning).toBe('I will call the tool.');
    expect(response.metadata.thinkingSignature).toBe('sig-first');
    expect(response.toolCalls).toEqual([{ index: 0, id: 'toolu_first', name: 'test-tool', arguments: undefined, argumentsText: '{"value":"Spark' }]);
  });
});
