import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createResponseAccumulator, isProviderStreamError, isStreamInterruptedError, streamChat$, type ChatResponse, type Chunk } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { fixtureBytes, fixtureNames, FIXTURES_DIR, hasExpectedOpenAIStyle } from '../support/fixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { describeOpenAIStyleConformance } from '../support/openaiStyleConformance';
import { randomCuts, startReplayServer } from '../support/replayServer';

describe('LM Studio conformance on recorded streams', () => {
  // the Chat Completions streams (OpenAI-compatible endpoint and REST v0); the /api/v1/chat and
  // /v1/responses bodies are other grammars, without a reference result of that family: REST v1 is below
  describeOpenAIStyleConformance(fixtureNames('lmstudio-').filter(hasExpectedOpenAIStyle), 'lmstudio');
});

/** One `/api/v1/chat` event, framed as the docs say: `event: <type>\ndata: <JSON event data>` and a blank line. */
const frame = (type: string, payload: Record<string, unknown> = {}) => `event: ${type}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;

// Every payload shape below is the "Example Event Data" of its event type on
// lmstudio.ai/docs/developer/rest/streaming-events (lmstudio-ai/docs, 1_developer/2_rest/streaming-events.md),
// with other text: chat.start / model_load.* { model_instance_id, progress, load_time_seconds },
// prompt_processing.progress { progress }, reasoning.delta / message.delta { content }, error { error:
// { type, message, code?, param? } }, chat.end { result: { model_instance_id, output, stats, response_id } }.
// stats.model_load_time_seconds is documented on lmstudio.ai/docs/developer/rest/chat ("Present only if
// the model was not already loaded").
const MODEL = 'qwen/qwen3-4b';
const REASONING = ['The user wants', ' an indented', ' example.\n'];
const TEXT = ['Sure:\n\n', '```py\n', '  def f():\n', '\treturn 1\n', '```\n\n', '- one\n', '  - nested 👍🏽\n\n', '漢字と', 'かな。', ' \n'];
const STATS = { input_tokens: 41, total_output_tokens: 13, reasoning_output_tokens: 3, tokens_per_second: 37.5, time_to_first_token_seconds: 1.204, model_load_time_seconds: 4.87 };
const head = [
  frame('chat.start', { model_instance_id: MODEL }),
  frame('model_load.start', { model_instance_id: MODEL }),
  frame('model_load.progress', { model_instance_id: MODEL, progress: 0.65 }),
  frame('model_load.end', { model_instance_id: MODEL, load_time_seconds: 4.87 }),
  frame('prompt_processing.start'),
  frame('prompt_processing.progress', { progress: 0.5 }),
  frame('prompt_processing.end'),
  frame('reasoning.start'),
  ...REASONING.map((content) => frame('reasoning.delta', { content })),
  frame('reasoning.end'),
  frame('message.start'),
];
const deltas = TEXT.map((content) => frame('message.delta', { content }));
const chatEnd = frame('chat.end', {
  result: {
    model_instance_id: MODEL,
    output: [
      { type: 'reasoning', content: REASONING.join('') },
      { type: 'message', content: TEXT.join('') },
    ],
    stats: STATS,
    response_id: 'resp_4f0c2a9e1b7d3c5a8e6f0b2d4c6a8e0f1b3d5c7a9e1f3b5d',
  },
});
const ERROR = { type: 'internal_error', message: 'The model crashed while generating' };

/** What the subscriber must end with, written out from the bodies above (not from the decoder). */
interface Expected {
  content: string;
  reasoning: string;
  /** undefined: the stream must fail */
  finishReason?: 'stop';
  usage?: ChatResponse['usage'];
  metadata?: Record<string, unknown>;
  id?: string;
  model?: string;
  error?: 'ProviderStreamError' | 'StreamInterruptedError';
}

const CASES: Array<{ name: string; body: Buffer; expected: Expected }> = [
  {
    name: 'a whole answer: model load, prompt processing, reasoning, white-space text, chat.end with stats',
    body: Buffer.from([...head, ...deltas, frame('message.end'), chatEnd].join(''), 'utf8'),
    expected: {
      content: TEXT.join(''),
      reasoning: REASONING.join(''),
      finishReason: 'stop',
      usage: { inputTokens: 41, outputTokens: 13, reasoningTokens: 3, totalTokens: 54 },
      metadata: { stats: { tokensPerSecond: 37.5, timeToFirstTokenSeconds: 1.204, modelLoadTimeSeconds: 4.87 } },
      id: 'resp_4f0c2a9e1b7d3c5a8e6f0b2d4c6a8e0f1b3d5c7a9e1f3b5d',
      model: MODEL,
    },
  },
  {
    // "An error occurred during streaming. The final payload will still be sent in chat.end": the error ends the stream
    name: 'an error event after part of the text (chat.end still follows it)',
    body: Buffer.from([...head, ...deltas.slice(0, 5), frame('error', { error: ERROR }), chatEnd].join(''), 'utf8'),
    expected: { content: TEXT.slice(0, 5).join(''), reasoning: REASONING.join(''), model: MODEL, error: 'ProviderStreamError' },
  },
  {
    name: 'a body cut before chat.end',
    body: Buffer.from([...head, ...deltas.slice(0, 7)].join(''), 'utf8'),
    expected: { content: TEXT.slice(0, 7).join(''), reasoning: REASONING.join(''), model: MODEL, error: 'StreamInterruptedError' },
  },
];

// the shared SYNTH body built from the same documented examples (SOURCES.md: "lmstudio-native-v1-chat-SYNTH.txt")
const SYNTH = 'lmstudio-native-v1-chat-SYNTH.txt';
if (existsSync(join(FIXTURES_DIR, SYNTH))) {
  const args = { sort: 'trendingScore', limit: 1 };
  const providerInfo = { type: 'ephemeral_mcp', server_label: 'huggingface' };
  CASES.push({
    name: SYNTH,
    body: fixtureBytes(SYNTH),
    expected: {
      content: 'The current',
      reasoning: 'Need to',
      finishReason: 'stop',
      usage: { inputTokens: 329, outputTokens: 268, reasoningTokens: 5, totalTokens: 597 },
      metadata: {
        stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781 },
        serverToolCalls: [{ tool: 'model_search', status: 'succeeded', arguments: args, output: '[{"type":"text","text":"Showing first 1 models..."}]', providerInfo }],
      },
      id: 'resp_02b2017dbc06c12bfc353a2ed6c2b802f8cc682884bb5716',
      model: 'openai/gpt-oss-20b',
    },
  });
}

describe('LM Studio REST v1 (/api/v1/chat) conformance on bodies built from the documented events', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (body: Buffer, cuts: number[], over: 'http' | 'in process') => {
    (over === 'http' ? server : inProcess).respondWith({ body, cuts });
    const { chunks, error } = await collect(streamChat$('lmstudio', [{ role: 'user', content: 'replay' }], { baseURL: server.url, native: 'v1' }));
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    return { response: accumulator.snapshot(), chunks, error };
  };

  const check = (expected: Expected, { response, chunks, error }: { response: ChatResponse; chunks: Chunk[]; error?: unknown }) => {
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    expect(response.content).toBe(expected.content);
    expect(response.reasoning).toBe(expected.reasoning);
    expect(response.toolCalls).toEqual([]);
    expect(response.model).toBe(expected.model);
    if (expected.error) {
      expect(error).toMatchObject({ name: expected.error });
      if (expected.error === 'ProviderStreamError') {
        expect(isProviderStreamError(error)).toBe(true);
        expect((error as Error).message).toBe(`lmstudio stream error (${ERROR.type}): ${ERROR.message}`);
      } else expect(isStreamInterruptedError(error)).toBe(true);
      // the error says what the subscriber had received
      expect((error as { partial?: ChatResponse }).partial).toEqual(response);
      expect(response.finishReason).toBeUndefined();
      return;
    }
    expect(error).toBeUndefined();
    expect(response.finishReason).toBe(expected.finishReason);
    expect(response.usage).toEqual(expected.usage);
    expect(response.metadata).toEqual(expected.metadata);
    expect(response.id).toBe(expected.id);
    // usage is a final count, emitted once
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
  };

  for (const { name, body, expected } of CASES) {
    describe(name, () => {
      test('whole body', async () => {
        check(expected, await run(body, [], 'http'));
      });

      test('split at random byte offsets, 50 seeds', async () => {
        for (let seed = 1; seed <= 50; seed++) {
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
