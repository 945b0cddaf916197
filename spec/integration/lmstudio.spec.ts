import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse, type ToolDefinition } from '../../lib';
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

  test('native: /api/v0/chat/completions, and the final chunk carries the server’s stats, model info and runtime', async () => {
    const messages = ask('Tell me about local models.');
    const { chunks, error } = await collect(streamChat$('lmstudio', messages, { baseURL, native: true, model: 'qwen3-4b', apiKey: 'lm-token-1' }));
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

  test('native tool call: fragments merged by index, stop reason toolCalls in the stats', async () => {
    const messages = ask('What is the weather in Paris? Use get_current_weather');
    const response = await lastValueFrom(streamChat$('lmstudio', messages, { baseURL, native: true, tools: [weather] }).pipe(toResponse()));
    const expected = answerFor(messages, { tools: [{ name: 'get_current_weather', parameters: { properties: { location: { type: 'string' } } } }] });
    expect(response.finishReason).toBe('tool_calls');
    expect(response.toolCalls).toEqual([
      { index: 0, id: expected.toolCalls[0].id, name: 'get_current_weather', arguments: JSON.parse(expected.toolCalls[0].arguments), argumentsText: expected.toolCalls[0].arguments },
    ]);
    expect(response.metadata.stats).toMatchObject({ stopReason: 'toolCalls' });
  });
});
