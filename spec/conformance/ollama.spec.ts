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
import { externalBody, externalExpected, externalFixtures } from '../support/externalFixtures';
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

  describe('tool calls whose arguments are JSON objects (the native format)', () => {
    // Record-shaped, from ollama's api/types.go (`ToolCallFunction.Arguments` is an object, `index`
    // always present, `id` since 2025-11) and the serialization of server/routes.go (Go's
    // encoding/json: compact, `<` `>` `&` as \u003c \u003e \u0026, other non-ASCII raw): two calls on
    // one line, a third on a later line, no id on the second (an older server).
    const goJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
    const args = [
      { city: 'Zürich & 東京', units: 'metric', days: [1, 2, 3], filter: { min: -3.5, tags: ['☔', '<b>'] } },
      { code: 'def f():\n    return "😀"\n', language: 'python', dry_run: false, note: null },
      {},
    ];
    const calls = [
      { id: 'call_x7rn5sl5', function: { index: 0, name: 'get_weather', arguments: args[0] } },
      { function: { index: 1, name: 'run_code', arguments: args[1] } },
      { id: 'call_253i1unw', function: { index: 0, name: 'best_language_to_learn', arguments: args[2] } },
    ];
    const line = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
      goJson({ model: 'qwen3:8b', created_at: '2026-11-30T09:12:44.103Z', message: { role: 'assistant', content: '', ...message }, done: false, ...extra }) + '\n';
    const body = Buffer.from(
      line({ thinking: 'Two tools, then a third.' }) +
        line({ tool_calls: calls.slice(0, 2) }) +
        line({ tool_calls: calls.slice(2) }) +
        line({}, { done: true, done_reason: 'stop', total_duration: 4513366125, load_duration: 70188042, prompt_eval_count: 301, prompt_eval_duration: 120911750, eval_count: 96, eval_duration: 4291027041 }),
    );
    const expected: OllamaExpected = {
      content: '',
      thinking: 'Two tools, then a third.',
      toolCalls: calls,
      done: true,
      done_reason: 'stop',
      metrics: { total_duration: 4513366125, load_duration: 70188042, prompt_eval_count: 301, prompt_eval_duration: 120911750, eval_count: 96, eval_duration: 4291027041 },
      error: null,
      lines: 4,
      model: 'qwen3:8b',
    };
    // the wire's `function.index` restarts per line: the calls are numbered across the answer
    const numbered: OllamaExpected = { ...expected, toolCalls: calls.map((c, i) => ({ ...c, function: { ...c.function, index: i } })) };

    test('each call: its arguments as JSON text and parsed, whole and at random splits', async () => {
      expect(body.toString('utf8')).toContain('\\u0026 東京');
      const whole = await run(body, []);
      check(numbered, whole);
      expect(whole.response.toolCalls.map((c) => c.arguments)).toEqual(args);
      expect(whole.response.toolCalls.map((c) => c.argumentsText)).toEqual(args.map((a) => JSON.stringify(a)));
      expect(whole.response.finishReason).toBe('tool_calls');
      const ids = whole.response.toolCalls.map((c) => c.id ?? '');
      for (let seed = 1; seed <= 40; seed++) {
        const random = seededRandom(seed * 7919 + body.length);
        const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
        try {
          check(numbered, await run(body, cuts, 'in process'), ids);
        } catch (error) {
          throw new Error(`seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
        }
      }
    });
  });

  test('external ollama-python-chat-stream: three lines and no done line, read as a cut stream with its text', async () => {
    // ollama-python's test server writes no `done` line; ollama-js raises "Did not receive done or
    // success response in stream." — rxllm likewise fails with StreamInterruptedError, keeping the text
    const fixture = externalFixtures('chat').find((f) => f.name === 'ollama-python-chat-stream')!;
    const expected = externalExpected(fixture);
    const { response, error } = await run(externalBody(fixture), []);
    expect(isStreamInterruptedError(error)).toBe(true);
    expect((error as { partial?: ChatResponse }).partial).toEqual(response);
    expect(response.content).toBe(expected.content);
    expect(response.model).toBe(expected.model);
    expect(response.finishReason).toBeUndefined();
  });
});
