import {
  isConfigError,
  isParseError,
  isProviderStreamError,
  isStreamInterruptedError,
  ParseError,
  streamChat$,
  type ChatMessage,
  type Chunk,
} from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { createNdjsonFraming } from '../../lib/transport/ndjsonFraming';
import type { WireEvent } from '../../lib/transport/sseFraming';
import { ollama } from '../../providers/ollama';
import { buildOllamaRequest } from '../../providers/ollama/buildOllamaRequest';
import { convertOllamaUsage } from '../../providers/ollama/convertOllamaUsage';
import { createOllamaDecoder } from '../../providers/ollama/createOllamaDecoder';
import { mapOllamaDoneReason } from '../../providers/ollama/mapOllamaDoneReason';
import { toOllamaMessages } from '../../providers/ollama/toOllamaMessages';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const user = (content: string): ChatMessage => ({ role: 'user', content });
const resolved = (extra: Record<string, unknown> = {}) => ({ model: 'llama3.2', baseURL: 'http://localhost:11434', ...extra });

describe('ollama provider', () => {
  test('is local: default base URL, model, NDJSON, no key required', () => {
    expect(ollama.id).toBe('ollama');
    expect(ollama.defaultBaseURL).toBe('http://localhost:11434');
    expect(ollama.defaultModel).toBe('llama3.2');
    expect(ollama.framing).toBe('ndjson');
    expect(ollama.requiresApiKey).toBe(false);
    expect(ollama.apiKeyEnv).toBe('OLLAMA_API_KEY');
  });

  describe('buildRequest', () => {
    test('POSTs to {baseURL}/api/chat with stream: true and no auth header', () => {
      const request = buildOllamaRequest([user('Hi')], resolved({ baseURL: 'http://gpu-box:11434/' }));
      expect(request.url).toBe('http://gpu-box:11434/api/chat');
      expect(request.method).toBe('POST');
      expect(request.headers).toEqual({ accept: 'application/x-ndjson' });
      expect(request.body).toEqual({ model: 'llama3.2', messages: [{ role: 'user', content: 'Hi' }], stream: true });
    });

    test('sends an API key as a Bearer token (hosted Ollama), and extra headers', () => {
      const request = buildOllamaRequest([user('Hi')], resolved({ apiKey: 'ollama-key-123', headers: { 'x-team': 'a' } }));
      expect(request.headers).toEqual({ accept: 'application/x-ndjson', authorization: 'Bearer ollama-key-123', 'x-team': 'a' });
    });

    test('maps temperature and maxTokens into options, merged with ollamaOptions (the common options win)', () => {
      const request = buildOllamaRequest(
        [user('Hi')],
        resolved({ temperature: 0.3, maxTokens: 64, ollamaOptions: { num_ctx: 8192, seed: 7, temperature: 1.5 } }),
      );
      expect((request.body as Record<string, unknown>).options).toEqual({ num_ctx: 8192, seed: 7, temperature: 0.3, num_predict: 64 });
    });

    test('maps think, keepAlive and format; extraBody is merged last', () => {
      const schema = { type: 'object', properties: { answer: { type: 'string' } } };
      const body = buildOllamaRequest([user('Hi')], resolved({ think: 'high', keepAlive: '10m', format: schema, extraBody: { truncate: false } }))
        .body as Record<string, unknown>;
      expect(body).toMatchObject({ think: 'high', keep_alive: '10m', format: schema, truncate: false });
      const off = buildOllamaRequest([user('Hi')], resolved({ think: false, keepAlive: 0, format: 'json' })).body as Record<string, unknown>;
      expect(off).toMatchObject({ think: false, keep_alive: 0, format: 'json' });
      expect(off).not.toHaveProperty('options');
    });

    test('sends tools as type "function" with their JSON Schema', () => {
      const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
      const body = buildOllamaRequest(
        [user('Weather?')],
        resolved({ tools: [{ name: 'get_weather', description: 'Current weather', parameters }, { name: 'now' }] }),
      ).body as Record<string, unknown>;
      expect(body.tools).toEqual([
        { type: 'function', function: { name: 'get_weather', description: 'Current weather', parameters } },
        { type: 'function', function: { name: 'now', description: undefined, parameters: { type: 'object', properties: {} } } },
      ]);
    });
  });

  describe('toOllamaMessages', () => {
    test('system, user, assistant tool calls (arguments as objects) and tool results with tool_name', () => {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Be brief.' },
        user('Weather in Paris and Oslo?'),
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'call_b', name: 'get_time', arguments: { city: 'Oslo' } },
            { id: 'call_c', name: 'ping', arguments: '' },
          ],
        },
        { role: 'tool', content: '18°C', toolCallId: 'call_a' },
        { role: 'tool', content: '12:00', toolCallId: 'call_b' },
        { role: 'tool', content: 'pong', name: 'ping' },
      ];
      expect(toOllamaMessages(messages)).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        {
          role: 'assistant',
          content: '',
          tool_calls: [
            { id: 'call_a', function: { name: 'get_weather', arguments: { city: 'Paris' } } },
            { id: 'call_b', function: { name: 'get_time', arguments: { city: 'Oslo' } } },
            { id: 'call_c', function: { name: 'ping', arguments: {} } },
          ],
        },
        { role: 'tool', content: '18°C', tool_name: 'get_weather', tool_call_id: 'call_a' },
        { role: 'tool', content: '12:00', tool_name: 'get_time', tool_call_id: 'call_b' },
        { role: 'tool', content: 'pong', tool_name: 'ping' },
      ]);
    });

    test('a reused tool-call id names the tool of the nearest assistant turn before the result', () => {
      const wire = toOllamaMessages([
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_0', name: 'first', arguments: {} }] },
        { role: 'tool', content: '1', toolCallId: 'call_0' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_0', name: 'second', arguments: {} }] },
        { role: 'tool', content: '2', toolCallId: 'call_0' },
      ]);
      expect(wire[1].tool_name).toBe('first');
      expect(wire[3].tool_name).toBe('second');
    });

    test('arguments that are not a JSON object fail with ConfigError naming the message', async () => {
      const messages: ChatMessage[] = [user('x'), { role: 'assistant', content: null, toolCalls: [{ id: 'c', name: 'f', arguments: '[1,2' }] }];
      expect(() => toOllamaMessages(messages)).toThrow(/messages\.1\.toolCalls\.0\.arguments: expected a JSON object/);
      const { error } = await collect(streamChat$(ollama, messages));
      expect(isConfigError(error)).toBe(true);
    });
  });

  describe('options', () => {
    test.each([
      ['think', { think: 'max' }],
      ['think', { think: 1 }],
      ['keepAlive', { keepAlive: true }],
      ['format', { format: 'yaml' }],
      ['ollamaOptions', { ollamaOptions: [1, 2] }],
    ])('a bad %s (%j) is a ConfigError naming the path, and nothing is sent', async (path, options) => {
      const { chunks, error } = await collect(streamChat$(ollama, [user('Hi')], { baseURL: 'http://127.0.0.1:9', ...options } as never));
      expect(chunks).toEqual([]);
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(`${path}:`);
    });

    test('an unknown option is a ConfigError that lists the Ollama options', async () => {
      const { error } = await collect(streamChat$(ollama, [user('Hi')], { keep_alive: '5m' } as never));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(/keep_alive: expected a known option of ollama \(.*keepAlive.*\)/);
    });

    test('the key comes from OLLAMA_API_KEY when not given, and none is needed at the default URL', () => {
      const saved = process.env.OLLAMA_API_KEY;
      try {
        delete process.env.OLLAMA_API_KEY;
        expect(prepareRequest('ollama', [user('Hi')], {}).request.headers.authorization).toBeUndefined();
        process.env.OLLAMA_API_KEY = 'env-ollama-key';
        const prepared = prepareRequest('ollama', [user('Hi')], { baseURL: 'https://ollama.com' });
        expect(prepared.request.url).toBe('https://ollama.com/api/chat');
        expect(prepared.request.headers.authorization).toBe('Bearer env-ollama-key');
        expect(prepared.secrets).toContain('env-ollama-key');
      } finally {
        if (saved === undefined) delete process.env.OLLAMA_API_KEY;
        else process.env.OLLAMA_API_KEY = saved;
      }
    });
  });

});

describe('createOllamaDecoder', () => {
  const decode = (lines: string[], end = true) => {
    const chunks: Chunk[] = [];
    const decoder = createOllamaDecoder({ provider: 'ollama', emit: (c) => chunks.push(c) });
    let error: unknown;
    try {
      for (const data of lines) if (!decoder.done) decoder.onEvent({ data });
      if (end && !decoder.done) decoder.onEnd();
    } catch (e) {
      error = e;
    }
    return { chunks, error, done: decoder.done };
  };
  const line = (message: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ model: 'm', created_at: '2025-01-01T00:00:00Z', message: { role: 'assistant', ...message }, done: false, ...extra });

  test('skips lines that carry nothing and keeps unknown fields harmless', () => {
    const { chunks, error } = decode([
      line({ content: '' }, { new_field: { x: 1 } }),
      line({ content: 'Hi', images: null }),
      line({ content: '' }, { done: true, done_reason: 'stop' }),
    ]);
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content)).toEqual(['Hi', undefined]);
    expect(chunks[1]).toMatchObject({ provider: 'ollama', model: 'm', finishReason: 'stop', metadata: { rawFinishReason: 'stop' } });
    expect(chunks[1].usage).toBeUndefined();
  });

  test('one line with thinking and content gives one chunk with both', () => {
    const { chunks } = decode([line({ content: 'A', thinking: 'hmm' }), line({ content: '' }, { done: true })]);
    expect(chunks[0]).toMatchObject({ content: 'A', reasoning: 'hmm' });
  });

  test('tool calls: whole arguments as JSON text, an index of our own across lines, generated ids when absent', () => {
    const { chunks } = decode([
      line({ content: '', tool_calls: [{ function: { name: 'a', arguments: { x: 1 } } }] }),
      line({ content: '', tool_calls: [{ id: 'call_srv', function: { index: 0, name: 'b', arguments: {} } }, { function: { name: 'c' } }] }),
      line({ content: '' }, { done: true, done_reason: 'stop' }),
    ]);
    expect(chunks[0].toolCalls).toEqual([{ index: 0, id: 'call_0', name: 'a', argumentsDelta: '{"x":1}' }]);
    expect(chunks[1].toolCalls).toEqual([
      { index: 1, id: 'call_srv', name: 'b', argumentsDelta: '{}' },
      { index: 2, id: 'call_2', name: 'c' },
    ]);
    expect(chunks[2].finishReason).toBe('tool_calls');
    expect(chunks[2].metadata?.rawFinishReason).toBe('stop');
  });

  test('the done line: usage, nanosecond timings and tokens per second; the decoder is done', () => {
    const { chunks, done } = decode([
      line(
        { content: 'end' },
        { done: true, done_reason: 'length', total_duration: 5e9, load_duration: 1e9, prompt_eval_count: 10, prompt_eval_duration: 5e8, eval_count: 100, eval_duration: 2e9 },
      ),
      line({ content: 'after the end' }),
    ]);
    expect(done).toBe(true);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatchObject({
      content: 'end',
      finishReason: 'length',
      usage: { inputTokens: 10, outputTokens: 100, totalTokens: 110 },
      metadata: { rawFinishReason: 'length', totalDurationNs: 5e9, loadDurationNs: 1e9, promptEvalDurationNs: 5e8, evalDurationNs: 2e9, tokensPerSecond: 50 },
    });
  });

  test('a cached prompt (no prompt_eval_count) gives no input count and no invented total', () => {
    expect(convertOllamaUsage({ eval_count: 3 })).toEqual({ outputTokens: 3 });
    expect(convertOllamaUsage({})).toBeUndefined();
    const { chunks } = decode([line({ content: '' }, { done: true, eval_count: 3, eval_duration: 0 })]);
    expect(chunks[0].metadata).not.toHaveProperty('tokensPerSecond');
  });

  test('an {"error"} line is a ProviderStreamError, checked before the line schema', () => {
    const { chunks, error } = decode([line({ content: 'Hel' }), '{"error":"an error was encountered while running the model"}']);
    expect(chunks).toHaveLength(1);
    expect(isProviderStreamError(error)).toBe(true);
    expect((error as Error).message).toBe('ollama stream error: an error was encountered while running the model');
    expect((error as { retryable: boolean }).retryable).toBe(true);
  });

  test('EOF without a done line is a StreamInterruptedError', () => {
    const { error } = decode([line({ content: 'Hel' })]);
    expect(isStreamInterruptedError(error)).toBe(true);
    expect((error as Error).message).toMatch(/without its "done": true line/);
  });

  test('a line that is not JSON, or not an object of the right shape, is a ParseError with the raw line', () => {
    const notJson = decode(['{"model":"m","message":']).error as ParseError;
    expect(isParseError(notJson)).toBe(true);
    expect(notJson.kind).toBe('json');
    expect(notJson.raw).toBe('{"model":"m","message":');
    const wrong = decode([line({ content: 42 })]).error as ParseError;
    expect(isParseError(wrong)).toBe(true);
    expect(wrong.kind).toBe('schema');
    expect(wrong.message).toContain('message.content');
    expect((decode(['[1,2]']).error as ParseError).kind).toBe('schema');
  });

  test('mapOllamaDoneReason', () => {
    expect(mapOllamaDoneReason('stop')).toBe('stop');
    expect(mapOllamaDoneReason('stop', true)).toBe('tool_calls');
    expect(mapOllamaDoneReason(undefined)).toBe('stop');
    expect(mapOllamaDoneReason('length')).toBe('length');
    expect(mapOllamaDoneReason('length', true)).toBe('length');
    expect(mapOllamaDoneReason('load')).toBe('other');
    expect(mapOllamaDoneReason('unload')).toBe('other');
    expect(mapOllamaDoneReason('something_new')).toBe('other');
  });
});

describe('createNdjsonFraming (lib/transport/ndjsonFraming.ts)', () => {
  const framing = (maxEventBytes = 1024) => {
    const events: WireEvent[] = [];
    const f = createNdjsonFraming((e) => events.push(e), maxEventBytes, 'ollama');
    return { f, data: () => events.map((e) => e.data) };
  };

  test('LF and CRLF line ends; blank lines (also \\r\\n alone) are skipped', () => {
    const { f, data } = framing();
    f.feed('{"a":1}\n\n{"b":2}\r\n\r\n\n{"c":3}\n');
    f.end();
    expect(data()).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });

  test('a line split across feeds, also between \\r and \\n and one character at a time', () => {
    const { f, data } = framing();
    f.feed('{"a":');
    f.feed('1}\r');
    f.feed('\n{"b"');
    for (const ch of ':"é🚀"}\n') f.feed(ch);
    f.end();
    expect(data()).toEqual(['{"a":1}', '{"b":"é🚀"}']);
  });

  test('several lines in one feed are delivered in order, synchronously', () => {
    const { f, data } = framing();
    f.feed('1\n2\n3\n4');
    expect(data()).toEqual(['1', '2', '3']);
    f.end();
    expect(data()).toEqual(['1', '2', '3', '4']);
  });

  test('a final line without its newline is delivered at the end; nothing twice', () => {
    const { f, data } = framing();
    f.feed('{"done":true}');
    expect(data()).toEqual([]);
    f.end();
    f.end();
    expect(data()).toEqual(['{"done":true}']);
  });

  test("a line over maxEventBytes is a ParseError 'event-too-large', whole or growing across feeds", () => {
    const whole = framing(16);
    let error: unknown;
    try {
      whole.f.feed(`${'x'.repeat(17)}\n`);
    } catch (e) {
      error = e;
    }
    expect(isParseError(error)).toBe(true);
    expect((error as ParseError).kind).toBe('event-too-large');
    expect((error as ParseError).provider).toBe('ollama');
    expect((error as Error).message).toContain('maxEventBytes');

    const growing = framing(16);
    growing.f.feed('x'.repeat(10));
    expect(() => growing.f.feed('x'.repeat(10))).toThrow(expect.objectContaining({ name: 'ParseError', kind: 'event-too-large' }));
    expect(growing.data()).toEqual([]);

    // lines at the limit pass
    const ok = framing(16);
    ok.f.feed(`${'y'.repeat(16)}\n${'z'.repeat(16)}`);
    ok.f.end();
    expect(ok.data()).toEqual(['y'.repeat(16), 'z'.repeat(16)]);
  });

  test('through streamChat$: a line over maxEventBytes ends the stream with the ParseError', async () => {
    const server = await startReplayServer();
    try {
      const big = JSON.stringify({ model: 'm', message: { role: 'assistant', content: 'x'.repeat(5000) }, done: false });
      server.respondWith({ contentType: 'application/x-ndjson', body: Buffer.from(`${big}\n`) });
      const { error } = await collect(streamChat$(ollama, [user('Hi')], { baseURL: server.url, maxEventBytes: 1000 }));
      expect(isParseError(error)).toBe(true);
      expect((error as ParseError).kind).toBe('event-too-large');
    } finally {
      await server.close();
    }
  });
});
