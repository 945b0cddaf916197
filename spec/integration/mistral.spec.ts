import { lastValueFrom } from 'rxjs';
import { createOpenAICompatibleProvider, isHttpError, streamChat$, toResponse, type ChatMessage, type HttpError, type ToolDefinition } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const weather: ToolDefinition = {
  name: 'weather',
  description: 'Current weather for a place',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
};

describe('mistral against the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'mistral');
  });
  afterAll(() => server.close());

  const last = () => server.requests[server.requests.length - 1];
  // plain text turns: valid both as ChatMessages and as messages of the mock model
  const ask = (content: string): Array<{ role: 'user'; content: string }> => [{ role: 'user', content }];

  test("text: streamChat$('mistral', …) streams the answer; the finish chunk carries the last token and the usage", async () => {
    const messages = ask('Count from 1 to 3');
    const { chunks, error } = await collect(streamChat$('mistral', messages, { baseURL, apiKey: 'mistral-mock-key', safePrompt: true, maxTokens: 300 }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages);
    const tokens = tokenize(expected.text);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
    expect(chunks).toHaveLength(tokens.length);
    const final = chunks[chunks.length - 1];
    expect(final).toMatchObject({ provider: 'mistral', model: 'mistral-small-latest', content: tokens[tokens.length - 1], finishReason: 'stop' });
    expect(final.usage).toEqual({ inputTokens: expected.inputTokens, outputTokens: tokens.length, totalTokens: expected.inputTokens + tokens.length, cachedInputTokens: 0 });
    expect(chunks.filter((c) => c.usage)).toHaveLength(1);

    expect(last().path).toBe('/v1/chat/completions');
    expect(last().headers.authorization).toBe('Bearer mistral-mock-key');
    expect(last().body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Count from 1 to 3' }], stream: true, max_tokens: 300, safe_prompt: true });
  });

  test('why no stream_options: the (mock) API refuses it with 422 extra_forbidden, as Mistral does', async () => {
    const openaiStyle = createOpenAICompatibleProvider({ id: 'naive-mistral', baseURL, defaultModel: 'mistral-small-latest', includeUsage: true });
    const { chunks, error } = await collect(streamChat$(openaiStyle, ask('Hi')));
    expect(chunks).toEqual([]);
    expect(isHttpError(error)).toBe(true);
    expect((error as HttpError).status).toBe(422);
    expect((error as HttpError).body).toMatchObject({ object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'stream_options'] }] } });
  });

  test('reasoning (magistral): thinking parts stream as reasoning, then the text', async () => {
    const messages = ask('How do I cross the street?');
    const { chunks, error } = await collect(streamChat$('mistral', messages, { baseURL, model: 'magistral-medium-latest' }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages, { thinking: true });
    expect(expected.reasoning).not.toBe('');
    expect(chunks.map((c) => c.reasoning ?? '').join('')).toBe(expected.reasoning);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
    const firstText = chunks.findIndex((c) => c.content);
    expect(chunks.slice(firstText).some((c) => c.reasoning)).toBe(false);
  });

  test('a tool call arrives whole, with the finish reason and usage, and the answer to its result follows', async () => {
    const messages = ask('Use the weather tool for Berlin');
    const first = await lastValueFrom(streamChat$('mistral', messages, { baseURL, tools: [weather] }).pipe(toResponse()));
    const expected = answerFor(messages, { tools: [{ name: 'weather', parameters: { properties: { location: { type: 'string' } } } }] });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.toolCalls).toEqual([
      { index: 0, id: expected.toolCalls[0].id, name: 'weather', arguments: JSON.parse(expected.toolCalls[0].arguments), argumentsText: expected.toolCalls[0].arguments },
    ]);
    expect(first.usage?.inputTokens).toBe(expected.inputTokens);
    expect((last().body as Record<string, unknown>).tools).toEqual([{ type: 'function', function: { name: 'weather', description: weather.description, parameters: weather.parameters } }]);

    const call = first.toolCalls[0];
    const followUp: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.argumentsText }] },
      { role: 'tool', content: '15°C, wind 10 km/h', toolCallId: call.id },
    ];
    const second = await lastValueFrom(streamChat$('mistral', followUp, { baseURL, tools: [weather] }).pipe(toResponse()));
    expect(second.content).toBe('The tool answered: 15°C, wind 10 km/h');
    expect(second.finishReason).toBe('stop');
  });
});
