import { createResponseAccumulator, isHttpError, isStreamInterruptedError, streamChat$, type ChatResponse, type HttpError } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { externalBody, externalExpected, externalFixtures, type ExternalExpected, type ExternalFixture } from '../support/externalFixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * The 81 `streamGenerateContent` bodies other projects recorded (external/manifest.json: js-genai's
 * replays of the Gemini API and Vertex AI, the Vercel AI SDK's fixtures, ruby_llm's cassettes), read
 * by rxllm as the peer read them (external/expected/<name>.json), body by body, whole and cut at
 * random offsets. Where rxllm reads a body otherwise, it is one of these documented decisions
 * (docs/providers/gemini.md), checked as such:
 * - tool call ids: the wire's `functionCall.id` when it has one; else rxllm makes a stable one
 *   (`gemini-call-<responseId>-<n>`), where js-genai gives none and @ai-sdk/google a random one;
 * - input tokens: `promptTokenCount + toolUsePromptTokenCount` (the peers leave the tool-use prompt
 *   out, so their input + output falls short of `totalTokenCount`); a count the API left out stays
 *   absent (@ai-sdk/google reports `cachedInputTokens: 0`);
 * - an empty 200 body is a cut stream (`StreamInterruptedError`), where js-genai yields nothing.
 */
const EMPTY_BODY = 'genai-client-generatecontentstream-ml-dev-should-return-the-headers-in-the-sdkhttpresponse-for-each-chunk-0';
const ERROR_BODY = 'genai-chats-sendmessage-send-message-stream-with-error-0';

/** The usage fields of the last `usageMetadata` the body carries, to check the arithmetic against. */
function lastUsageMetadata(body: Buffer): Record<string, number> | undefined {
  let last: Record<string, number> | undefined;
  for (const line of body.toString('utf8').split(/\r?\n/)) {
    if (!line.startsWith('data: ')) continue;
    const usage = (JSON.parse(line.slice(6)) as { usageMetadata?: Record<string, number> }).usageMetadata;
    if (usage && typeof usage.totalTokenCount === 'number') last = usage;
  }
  return last;
}

type Outcome = { response: ChatResponse; error?: unknown };

function check(fixture: ExternalFixture, expected: ExternalExpected, body: Buffer, { response, error }: Outcome) {
  if (fixture.name === EMPTY_BODY) {
    expect(isStreamInterruptedError(error)).toBe(true);
    expect(response.content).toBe('');
    return;
  }
  if (fixture.name === ERROR_BODY) {
    expect(isHttpError(error)).toBe(true);
    expect((error as HttpError).status).toBe(404);
    // the peer's ApiError carries the body; rxllm's HttpError says its message
    expect(expected.error?.message).toContain('"code":404');
    expect((error as HttpError).message).toContain('models/custom-gemini-2.0-flash is not found');
    return;
  }
  expect(error).toBeUndefined();
  expect(response.content).toBe(expected.content);
  expect(response.reasoning).toBe(expected.reasoning);
  expect(response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))).toEqual(expected.toolCalls);
  const ids = response.toolCalls.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(/\S/);
  expect(response.finishReason ?? null).toBe(expected.finish);
  expect(response.metadata.rawFinishReason ?? null).toBe(expected.rawFinish);
  if (expected.id) expect(response.id).toBe(expected.id);
  if (expected.model) expect(response.model).toBe(expected.model);
  expect(response.citations.map((c) => c.url)).toEqual(expected.citations);

  const wire = lastUsageMetadata(body);
  for (const [name, count] of Object.entries(expected.usage ?? {})) {
    if (name === 'cachedInputTokens' && count === 0 && wire?.cachedContentTokenCount === undefined) {
      expect(response.usage?.cachedInputTokens).toBeUndefined();
    } else if (name === 'inputTokens' && wire?.toolUsePromptTokenCount) {
      expect(response.usage?.inputTokens).toBe(count + wire.toolUsePromptTokenCount);
    } else {
      expect([name, response.usage?.[name as keyof NonNullable<ChatResponse['usage']>]]).toEqual([name, count]);
    }
  }
  // input + output = total, whatever the body reports
  if (wire) expect((response.usage?.inputTokens ?? 0) + (response.usage?.outputTokens ?? 0)).toBe(wire.totalTokenCount);
}

describe('Gemini conformance on the streams other projects recorded (external/)', () => {
  const fixtures = externalFixtures('streamGenerateContent');
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (fixture: ExternalFixture, cuts: number[], over: 'http' | 'in process'): Promise<Outcome> => {
    const body = externalBody(fixture);
    (over === 'http' ? server : inProcess).respondWith({ body, cuts, status: fixture.status, contentType: fixture.contentType });
    const { chunks, error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'test-replay-key' }));
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    return { response: fold.snapshot(), error };
  };

  test('all 81 bodies are here', () => {
    expect(fixtures).toHaveLength(81);
  });

  for (const fixture of fixtures) {
    test(fixture.name, async () => {
      const body = externalBody(fixture);
      const expected = externalExpected(fixture);
      check(fixture, expected, body, await run(fixture, [], 'http'));
      for (let seed = 1; seed <= 3; seed++) {
        const random = seededRandom(seed * 104729 + body.length);
        const cuts = body.length > 1 ? randomCuts(random, body.length, 1 + Math.floor(random() * 10)) : [];
        try {
          check(fixture, expected, body, await run(fixture, cuts, 'in process'));
        } catch (error) {
          throw new Error(`seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
        }
      }
    });
  }
});
