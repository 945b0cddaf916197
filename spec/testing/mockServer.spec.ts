import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';

describe('the mock server', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  test('its model is deterministic: the same conversation gives the same answer', () => {
    const messages = [{ role: 'user', content: 'What is a stream?' }];
    expect(answerFor(messages)).toEqual(answerFor(messages));
    expect(answerFor(messages).text).not.toBe(answerFor([{ role: 'user', content: 'What is a river?' }]).text);
  });

  test('tokenize cuts text into pieces that join back exactly', () => {
    const text = '  Hello,  world — “quoted”\n\nnext line ';
    expect(tokenize(text).join('')).toBe(text);
  });

  test('the official openai SDK streams from it and assembles the same answer as rxllm', async () => {
    const client = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock' });
    const messages = [{ role: 'user' as const, content: 'Why stream chat completions?' }];
    const stream = await client.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true, stream_options: { include_usage: true } });
    let sdkText = '';
    let sdkUsage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      sdkText += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) sdkUsage = chunk.usage;
    }
    const ours = await lastValueFrom(streamChat$('openai', messages, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock' }).pipe(toResponse()));
    expect(sdkText).toBe(answerFor(messages).text);
    expect(ours.content).toBe(sdkText);
    expect(ours.usage?.outputTokens).toBe(sdkUsage?.completion_tokens);
  });

  test("the SDK's stream helper assembles a tool call from the mock server", async () => {
    const client = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock' });
    const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];
    const runner = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Call get_weather for Lyon' }], tools });
    const completion = await runner.finalChatCompletion();
    const call = completion.choices[0].message.tool_calls?.[0];
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' && call.function.name).toBe('get_weather');
    expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({ city: 'Lyon' });
  });

  test('a non-streaming request gets a whole chat.completion', async () => {
    const client = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock' });
    const messages = [{ role: 'user' as const, content: 'once' }];
    const completion = await client.chat.completions.create({ model: 'm', messages });
    expect(completion.choices[0].message.content).toBe(answerFor(messages).text);
  });

  test('records each request with how it ended', async () => {
    const before = server.requests.length;
    await lastValueFrom(streamChat$('openai', [{ role: 'user', content: 'record me' }], { baseURL: mockBaseURL(server, 'openai'), model: 'my-model' }));
    const request = server.requests[before];
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.body).toMatchObject({ model: 'my-model', stream: true, stream_options: { include_usage: true } });
    expect(await request.closed).toMatchObject({ completed: true });
  });

  test('answers an unknown path with a 404 JSON error, and a body that is not JSON with a 400', async () => {
    const notFound = await fetch(`${server.url}/v1/nothing`, { method: 'POST', body: '{}' });
    expect(notFound.status).toBe(404);
    expect((await notFound.json()).error.message).toMatch(/No route/);
    const bad = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
  });
});
