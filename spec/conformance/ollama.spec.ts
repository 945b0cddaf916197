import {
  createResponseAccumulator,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatResponse,
  type Chunk,
  type Usage,
} from '../../lib';
import { ollama } from '../../providers/ollama';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { expectedByName, fixtureBytes, fixtureNames } from '../support/fixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/** The shape of an Ollama entry of EXPECTED.json (computed by the reference parser). */
interface OllamaExpected {
  content: string;
  thinking: string;
  toolCalls: Array<{ id?: string; function: { index?: number; name: string; arguments: unknown } }>;
  done: boolean;
  done_reason: string | null;
  metrics: Partial<Record<'total_duration' | 'load_duration' | 'prompt_eval_count' | 'prompt_eval_duration' | 'eval_count' | 'eval_duration', number>>;
  error: string | null;
  lines: number;
  model: string;
}

/** The contract's mapping, written out here independently of the provider code. */
function expectedFinish(e: OllamaExpected): string {
  if (e.done_reason === 'length') return 'length';
  if (e.done_reason === 'stop' || e.done_reason === null) return e.toolCalls.length > 0 ? 'tool_calls' : 'stop';
  return 'other';
}

function expectedUsage({ metrics: m }: OllamaExpected): Usage | undefined {
  if (m.prompt_eval_count === undefined && m.eval_count === undefined) return undefined;
  const u: Usage = {};
  if (m.prompt_eval_count !== undefined) u.inputTokens = m.prompt_eval_count;
  if (m.eval_count !== undefined) u.outputTokens = m.eval_count;
  if (m.prompt_eval_count !== undefined && m.eval_count !== undefined) u.totalTokens = m.prompt_eval_count + m.eval_count;
  return u;
}

type Outcome = { chunks: Chunk[]; response: ChatResponse; error?: unknown };

/** What the subscriber must end with. `ids` pins the generated tool-call ids to those of the whole-body run. */
function check(expected: OllamaExpected, { chunks, response, error }: Outcome, ids?: string[]) {
  expect(response.provider).toBe('ollama');
  expect(response.content).toBe(expected.content);
  expect(response.reasoning).toBe(expected.thinking);
  expect(response.model).toBe(expected.model);
  expect(response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))).toEqual(
    expected.toolCalls.map((c) => ({ name: c.function.name, arguments: c.function.arguments })),
  );
  response.toolCalls.forEach((call, i) => {
    const wire = expected.toolCalls[i];
    expect(call.index).toBe(wire.function.index ?? i);
    expect(JSON.parse(call.argumentsText)).toEqual(wire.function.arguments);
    if (wire.id) expect(call.id).toBe(wire.id);
    else {
      // no id on the wire: a generated one, the same however the bytes were cut
      expect(typeof call.id).toBe('string');
      expect(call.id).not.toBe('');
      if (ids) expect(call.id).toBe(ids[i]);
    }
  });
  chunks.forEach((c, i) => expect(c.seq).toBe(i));

  if (error !== undefined) {
    // the error says what the subscriber had received
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
  }
  if (expected.error !== null) {
    expect(isProviderStreamError(error)).toBe(true);
    expect((error as Error).message).toContain(expected.error);
    expect((error as { body?: unknown }).body).toEqual({ error: expected.error });
    expect(response.finishReason).toBeUndefined();
    return;
  }
  if (!expected.done) {
    expect(isStreamInterruptedError(error)).toBe(true);
    return;
  }
  expect(error).toBeUndefined();
  expect(response.finishReason).toBe(expectedFinish(expected));
  expect(response.metadata.rawFinishReason).toBe(expected.done_reason ?? undefined);
  expect(response.usage).toEqual(expectedUsage(expected));
  const m = expected.metrics;
  expect(response.metadata.totalDurationNs).toBe(m.total_duration);
  expect(response.metadata.loadDurationNs).toBe(m.load_duration);
  expect(response.metadata.promptEvalDurationNs).toBe(m.prompt_eval_duration);
  expect(response.metadata.evalDurationNs).toBe(m.eval_duration);
  if (m.eval_count !== undefined && m.eval_duration) {
    expect(response.metadata.tokensPerSecond).toBeCloseTo((m.eval_count / m.eval_duration) * 1e9, 6);
  } else {
    expect(response.metadata.tokensPerSecond).toBeUndefined();
  }
  // the finish comes once, on the last chunk
  expect(chunks.filter((c) => c.finishReason !== undefined)).toHaveLength(1);
  expect(chunks[chunks.length - 1].finishReason).toBeDefined();
}

describe('Ollama conformance on recorded streams', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  // the whole body over HTTP, the random cuts in process
  const inProcess = inProcessReplay();

  const run = async (body: Buffer, cuts: number[], over: 'http' | 'in process' = 'http'): Promise<Outcome> => {
    (over === 'http' ? server : inProcess).respondWith({ body, cuts, contentType: 'application/x-ndjson' });
    const { chunks, error } = await collect(streamChat$(ollama, [{ role: 'user', content: 'replay' }], { baseURL: server.url }));
    const accumulator = createResponseAccumulator();
    for (const c of chunks) accumulator.add(c);
    return { chunks, response: accumulator.snapshot(), error };
  };

  const names = fixtureNames('ollama-');

  test('the Ollama fixtures are present', () => {
    expect(names.length).toBeGreaterThanOrEqual(6);
  });

  for (const name of names) {
    describe(name, () => {
      const body = fixtureBytes(name);
      const expected = expectedByName(name) as unknown as OllamaExpected;
      let ids: string[] = [];

      test('whole body', async () => {
        const outcome = await run(body, []);
        check(expected, outcome);
        ids = outcome.response.toolCalls.map((c) => c.id ?? '');
        if (expected.done) {
          // every wire byte is accounted to a chunk: the done line is the last one
          expect(outcome.chunks.reduce((n, c) => n + c.bytes, 0)).toBe(body.length);
        }
      });

      test('split at random byte offsets, 60 seeds', async () => {
        for (let seed = 1; seed <= 60; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
          try {
            check(expected, await run(body, cuts, 'in process'), ids.length ? ids : undefined);
          } catch (error) {
            throw new Error(`${name}, seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
          }
        }
      });

      if (expected.done) {
        test('cut before its done line, it fails as interrupted with the partial answer', async () => {
          const text = body.toString('utf8');
          const lastLine = text.lastIndexOf('\n', text.length - 2) + 1;
          const truncated = Buffer.from(text.slice(0, lastLine), 'utf8');
          const { response, error } = await run(truncated, []);
          expect(isStreamInterruptedError(error)).toBe(true);
          expect((error as { partial?: ChatResponse }).partial).toEqual(response);
          expect(response.finishReason).toBeUndefined();
          expect(response.usage).toBeUndefined();
          // what came before the done line is all there (the done line may carry text of its own)
          expect(expected.content.startsWith(response.content)).toBe(true);
          expect(response.reasoning).toBe(expected.thinking);
        });
      }
    });
  }
});
