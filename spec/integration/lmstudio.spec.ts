import { lastValueFrom } from 'rxjs';
import { isProviderStreamError, isStreamInterruptedError, streamChat$, toResponse, type ChatMessage, type ChatResponse, type ToolDefinition } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const weather: ToolDefinition = {
  name: 'get_current_weather',
  description: 'Current weather for a place',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('lmstudio against the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const saved = process.env.LM_API_TOKEN;
  beforeAll(async () => {
    delete process.env.LM_API_TOKEN;
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'lmstudio');
  });
  afterAll(async () => {
    if (saved !== undefined) process.env.LM_API_TOKEN = saved;
    await server.close();
  });

  const last = () => server.requests[server.requests.length - 1];
  // plain text turns: valid both as ChatMessages and as messages of the mock model
  const ask = (content: string): Array<{ role: 'user'; content: string }> => [{ role: 'user', content }];

  test("OpenAI-compatible: streamChat$('lmstudio', …) posts to /v1/chat/completions without a key and gets the usage", async () => {
    const messages = ask('Tell me about local models.');
    const { chunks, error } = await collect(streamChat$('lmstudio', messages, { baseURL }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages);
    const tokens = tokenize(expected.text);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
    expect(chunks.find((c) => c.finishReason)?.finishReason).toBe('stop');
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    expect(chunks[chunks.length - 1].usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: tokens.length });
    expect(chunks.some((c) => c.metadata?.stats)).toBe(false);

    expect(last().path).toBe('/v1/chat/completions');
    expect(last().headers.authorization).toBeUndefined();
    expect(last().body).toMatchObject({ model: 'qwen/qwen3-4b', stream: true, stream_options: { include_usage: true } });
  });

  test("native: 'v0' (servers before 0.4.0): /api/v0/chat/completions, and the final chunk carries the server’s stats, model info and runtime", async () => {
    const messages = ask('Tell me about local models.');
    const { chunks, error } = await collect(streamChat$('lmstudio', messages, { baseURL, native: 'v0', model: 'qwen3-4b', apiKey: 'lm-token-1' }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages);
    const tokens = tokenize(expected.text);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
    const final = chunks.find((c) => c.finishReason)!;
    expect(final.metadata).toEqual({
      rawFinishReason: 'stop',
      stats: { tokensPerSecond: 40, timeToFirstTokenSeconds: 0.25, generationTimeSeconds: tokens.length / 40, stopReason: 'eosFound' },
      modelInfo: { arch: 'qwen3', quant: 'Q4_K_M', format: 'gguf', contextLength: 32768 },
      runtime: { name: 'llama.cpp-linux-x86_64-avx2', version: '1.50.0', supportedFormats: ['gguf'] },
    });
    expect(chunks.filter((c) => c.metadata?.stats)).toHaveLength(1);
    expect(last().path).toBe('/api/v0/chat/completions');
    expect(last().headers.authorization).toBe('Bearer lm-token-1');
    expect(last().body).not.toHaveProperty('native');
  });

  test('native: true with tools goes to REST v0 (v1 takes no tools): fragments merged by index, stop reason toolCalls in the stats', async () => {
    const messages = ask('What is the weather in Paris? Use get_current_weather');
    const response = await lastValueFrom(streamChat$('lmstudio', messages, { baseURL, native: true, tools: [weather] }).pipe(toResponse()));
    const expected = answerFor(messages, { tools: [{ name: 'get_current_weather', parameters: { properties: { location: { type: 'string' } } } }] });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.toolCalls).toEqual([
      { index: 0, id: expected.toolCalls[0].id, name: 'get_current_weather', arguments: JSON.parse(expected.toolCalls[0].arguments), argumentsText: expected.toolCalls[0].arguments },
    ]);
    expect(response.metadata.stats).toMatchObject({ stopReason: 'toolCalls' });
    expect(last().path).toBe('/api/v0/chat/completions');
  });

  describe('REST v1 (/api/v1/chat)', () => {
    // text with real white space: indented code, a list, emoji, CJK
    const ANSWER = 'Here:\n\n```py\n  def f():\n\treturn 1\n```\n\n- one\n  - nested 👍🏽\n\n漢字とかな。 \n';
    const answerHeader = { 'x-mock-answer': Buffer.from(ANSWER, 'utf8').toString('base64') };

    test('native: true → POST /api/v1/chat; the text exactly, usage and stats from chat.end, and showPerformance takes the server figures', async () => {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Answer with code.' },
        { role: 'user', content: 'Show me a function.' },
      ];
      const { chunks, error } = await collect(
        streamChat$('lmstudio', messages, { baseURL, native: true, showPerformance: true, headers: answerHeader, apiKey: 'lm-token-2', maxTokens: 500 }),
      );
      expect(error).toBeUndefined();
      chunks.forEach((c, i) => expect(c.seq).toBe(i));
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(ANSWER);
      const tokens = tokenize(ANSWER).length;
      const mockMessages = [
        { role: 'system', content: 'Answer with code.' },
        { role: 'user', content: 'Show me a function.' },
      ];
      const final = chunks[chunks.length - 1];
      expect(final.finishReason).toBe('stop');
      expect(final.model).toBe('qwen/qwen3-4b');
      expect(final.usage).toEqual({ inputTokens: answerFor(mockMessages).inputTokens, outputTokens: tokens, reasoningTokens: 0, totalTokens: answerFor(mockMessages).inputTokens + tokens });
      expect(final.metadata?.stats).toEqual({ tokensPerSecond: 40, timeToFirstTokenSeconds: 0.25 });
      // the server's figures, not a measurement of this fast loopback stream
      expect(final.metadata?.performance).toEqual({ timeToFirstTokenMs: 250, tokensPerSecond: 40, generationTimeMs: (tokens / 40) * 1000, outputTokens: tokens, source: 'server' });
      expect(chunks.filter((c) => c.metadata?.performance)).toHaveLength(1);

      expect(last().path).toBe('/api/v1/chat');
      expect(last().headers.authorization).toBe('Bearer lm-token-2');
      expect(last().body).toEqual({ model: 'qwen/qwen3-4b', input: 'Show me a function.', system_prompt: 'Answer with code.', stream: true, store: false, max_output_tokens: 500 });
    });

    test('reasoning (extraBody reasoning: "on") arrives as reasoning; the answer as toResponse folds it', async () => {
      const messages = ask('Why stream?');
      const response = await lastValueFrom(streamChat$('lmstudio', messages, { baseURL, native: 'v1', extraBody: { reasoning: 'on' } }).pipe(toResponse()));
      const expected = answerFor(messages, { thinking: true });
      expect(response.reasoning).toBe(expected.reasoning);
      expect(response.content).toBe(expected.text);
      expect(response.finishReason).toBe('stop');
      expect(response.usage).toMatchObject({ reasoningTokens: tokenize(expected.reasoning).length, outputTokens: tokenize(expected.reasoning).length + tokenize(expected.text).length });
      expect(response.toolCalls).toEqual([]);
    });

    test("max_output_tokens reached → finish reason 'length'", async () => {
      const response = await lastValueFrom(streamChat$('lmstudio', ask('Why stream?'), { baseURL, native: 'v1', maxTokens: 3, headers: answerHeader }).pipe(toResponse()));
      expect(response.content).toBe(tokenize(ANSWER).slice(0, 3).join(''));
      expect(response.finishReason).toBe('length');
    });

    test('an error event mid-stream → ProviderStreamError with the server message, carrying the partial answer', async () => {
      const fault = JSON.stringify({ kind: 'error-event', afterChunks: 3 });
      const { chunks, error } = await collect(streamChat$('lmstudio', ask('Why stream?'), { baseURL, native: true, headers: { ...answerHeader, 'x-mock-fault': fault } }));
      const partial = tokenize(ANSWER).slice(0, 3).join('');
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(partial);
      expect(isProviderStreamError(error)).toBe(true);
      expect((error as Error).message).toBe('lmstudio stream error (internal_error): The model crashed while generating');
      expect((error as { partial?: ChatResponse }).partial?.content).toBe(partial);
    });

    test('a body cut before chat.end → StreamInterruptedError with the partial answer', async () => {
      const fault = JSON.stringify({ kind: 'truncate' });
      const { chunks, error } = await collect(streamChat$('lmstudio', ask('Why stream?'), { baseURL, native: true, headers: { ...answerHeader, 'x-mock-fault': fault } }));
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(ANSWER);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as { partial?: ChatResponse }).partial?.content).toBe(ANSWER);
    });

    test('native: true, a stream cut after content: recovery continues it over REST v0 (v1 takes no earlier answer), joined exactly', async () => {
      server.queueFaults({ kind: 'cut', afterChars: 40 }, null);
      const before = server.requests.length;
      const response = await lastValueFrom(
        streamChat$('lmstudio', ask('Why stream?'), { baseURL, native: true, headers: answerHeader, streamRecovery: true, recovery: { delay: 0 } }).pipe(toResponse()),
      );
      expect(response.content).toBe(ANSWER);
      expect(response.finishReason).toBe('stop');
      expect(server.requests.slice(before).map((r) => r.path)).toEqual(['/api/v1/chat', '/api/v0/chat/completions']);
      expect(server.requests[before + 1].body).toMatchObject({ messages: [{ role: 'user' }, { role: 'assistant', content: ANSWER.slice(0, 40) }, { role: 'user' }] });
    });

    test('the mock refuses what the server refuses: no model, an unreadable input', async () => {
      const post = (body: unknown) => fetch(`${server.url}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const noModel = await post({ input: 'Hi', stream: true });
      expect(noModel.status).toBe(400);
      expect(await noModel.json()).toEqual({ error: { type: 'invalid_request', message: '"model" is required', code: 'missing_required_parameter', param: 'model' } });
      const messagesInstead = await post({ model: 'qwen/qwen3-4b', messages: [{ role: 'user', content: 'Hi' }], stream: true });
      expect(messagesInstead.status).toBe(400);
      expect(((await messagesInstead.json()) as { error: { param: string } }).error.param).toBe('input');
      const plain = await post({ model: 'qwen/qwen3-4b', input: 'Hi' });
      expect(await plain.json()).toMatchObject({ model_instance_id: 'qwen/qwen3-4b', output: [{ type: 'message', content: answerFor(ask('Hi')).text }], response_id: expect.stringMatching(/^resp_/) });
    });
  });
});
