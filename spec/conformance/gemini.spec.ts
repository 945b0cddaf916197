import {
  createResponseAccumulator,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatResponse,
  type ProviderStreamError,
  type Usage,
} from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { expectedByName, fixtureBytes, fixtureNames } from '../support/fixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/** The reference parser's result for a google-* fixture (EXPECTED.json). */
interface GoogleExpected {
  text: string;
  thoughts: string;
  functionCalls: Array<{ name: string; args: unknown; id?: string }>;
  /** the Vertex streamed calls, assembled from their `partialArgs` */
  assembledCalls?: Array<{ name: string; args: unknown; id?: string }>;
  thoughtSignatures: string[];
  finishReason: string | null;
  finishMessage: string | null;
  usage: Record<string, number> | null;
  promptFeedback: { blockReason?: string } | null;
  error: { code: number; status: string; message: string } | null;
  modelVersion: string | null;
  responseId: string | null;
}

/** The contract's mapping, written out here independently of the provider code. */
const FINISH: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'error',
};

/** Gemini's candidates count excludes thinking: output = candidates + thoughts; input = prompt + tool-use prompt. */
const usageOf = (raw: Record<string, number> | null): Usage | undefined => {
  if (!raw) return undefined;
  const u: Usage = {};
  if (raw.promptTokenCount !== undefined || raw.toolUsePromptTokenCount !== undefined) u.inputTokens = (raw.promptTokenCount ?? 0) + (raw.toolUsePromptTokenCount ?? 0);
  if (raw.candidatesTokenCount !== undefined || raw.thoughtsTokenCount !== undefined) u.outputTokens = (raw.candidatesTokenCount ?? 0) + (raw.thoughtsTokenCount ?? 0);
  if (raw.totalTokenCount !== undefined) u.totalTokens = raw.totalTokenCount;
  if (raw.thoughtsTokenCount !== undefined) u.reasoningTokens = raw.thoughtsTokenCount;
  if (raw.cachedContentTokenCount !== undefined) u.cachedInputTokens = raw.cachedContentTokenCount;
  return u;
};

type Outcome = { response: ChatResponse; error?: unknown };

function check(expected: GoogleExpected, { response, error }: Outcome) {
  expect(response.provider).toBe('gemini');
  expect(response.content).toBe(expected.text);
  expect(response.reasoning).toBe(expected.thoughts);

  const calls = expected.assembledCalls ?? expected.functionCalls;
  expect(response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))).toEqual(calls.map((c) => ({ name: c.name, arguments: c.args })));
  response.toolCalls.forEach((c, i) => {
    expect(c.index).toBe(i);
    expect(JSON.parse(c.argumentsText)).toEqual(calls[i].args);
    if (calls[i].id !== undefined) expect(c.id).toBe(calls[i].id);
    else expect(c.id).toEqual(expect.stringMatching(/\S/));
  });

  expect(response.metadata.thoughtSignatures).toEqual(expected.thoughtSignatures.length > 0 ? expected.thoughtSignatures : undefined);
  expect(response.metadata.promptFeedback).toEqual(expected.promptFeedback ?? undefined);
  expect(response.metadata.finishMessage).toBe(expected.finishMessage ?? undefined);
  expect(response.usage).toEqual(usageOf(expected.usage));
  expect(response.model).toBe(expected.modelVersion ?? undefined);
  expect(response.id).toBe(expected.responseId ?? undefined);

  if (expected.promptFeedback?.blockReason) {
    expect(response.finishReason).toBe('content_filter');
    expect(response.metadata.blockReason).toBe(expected.promptFeedback.blockReason);
  } else if (expected.finishReason) {
    const mapped = FINISH[expected.finishReason] ?? 'other';
    expect(response.finishReason).toBe(mapped === 'stop' && calls.length > 0 ? 'tool_calls' : mapped);
    expect(response.metadata.rawFinishReason).toBe(expected.finishReason);
  } else {
    expect(response.finishReason).toBeUndefined();
  }

  if (expected.error) {
    expect(isProviderStreamError(error)).toBe(true);
    const e = error as ProviderStreamError;
    expect(e.code).toBe(expected.error.code);
    expect(e.errorType).toBe(expected.error.status);
    expect(e.message).toContain(expected.error.message);
    expect((e.body as { error: unknown }).error).toEqual(expected.error);
    // the error says what the subscriber had received
    expect(e.partial).toEqual(response);
  } else {
    expect(error).toBeUndefined();
  }
}

describe('Gemini conformance on recorded streams', () => {
  const seeds = 50;
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
      streamChat$('gemini', [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'test-replay-key' }),
    );
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    return { response: accumulator.snapshot(), error };
  };

  const names = fixtureNames('google-');
  test('every google-*.txt fixture has an expected result', () => {
    expect(names.length).toBeGreaterThanOrEqual(9);
    for (const name of names) expect(expectedByName(name)).toBeDefined();
  });

  for (const name of names) {
    describe(name, () => {
      const body = fixtureBytes(name);
      const expected = expectedByName(name) as unknown as GoogleExpected;

      test('whole body', async () => {
        check(expected, await run(body, []));
      });

      test(`split at random byte offsets, ${seeds} seeds`, async () => {
        const whole = await run(body, []);
        for (let seed = 1; seed <= seeds; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
          try {
            const outcome = await run(body, cuts, 'in process');
            check(expected, outcome);
            // generated call ids do not depend on how the bytes arrived
            expect(outcome.response.toolCalls.map((c) => c.id)).toEqual(whole.response.toolCalls.map((c) => c.id));
          } catch (error) {
            throw new Error(`${name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
          }
        }
      });
    });
  }

  describe('a body cut before its last event', () => {
    for (const name of ['google-text.txt', 'google-thinking.txt', 'google-recitation-no-content.txt', 'google-vertex-partial-args.txt']) {
      test(`${name}: StreamInterruptedError with what was received`, async () => {
        const body = fixtureBytes(name);
        const lastEvent = body.lastIndexOf('data: ');
        const { response, error } = await run(body.subarray(0, lastEvent), []);
        expect(isStreamInterruptedError(error)).toBe(true);
        expect((error as { partial?: ChatResponse }).partial).toEqual(response);
        expect(response.finishReason).toBeUndefined();
        const expected = expectedByName(name) as unknown as GoogleExpected;
        // everything but the last event arrived
        expect(expected.text.startsWith(response.content)).toBe(true);
        expect(expected.thoughts.startsWith(response.reasoning)).toBe(true);
      });
    }
  });
});
