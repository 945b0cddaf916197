import { Ollama } from 'ollama';
import { lastValueFrom } from 'rxjs';
import { isHttpError, streamChat$, toResponse, type ChatMessage, type ToolDefinition } from '../../lib';
import { ollama } from '../../providers/ollama';
import { answerFor, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const weather = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
} satisfies ToolDefinition;

describe('ollama against the mock server', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());

  const lastBody = () => server.requests[server.requests.length - 1].body as Record<string, any>;

  test('text: the mock model’s answer, with usage and the server timings', async () => {
    const messages = ask('Why does streaming matter?');
    const { chunks, error } = await collect(streamChat$(ollama, messages, { baseURL: server.url, model: 'llama3.2', temperature: 0.2 }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages);
    const text = chunks.map((c) => c.content ?? '').join('');
    expect(text).toBe(expected.text);
    expect(chunks.length).toBe(tokenize(expected.text).length + 1);
    const last = chunks[chunks.length - 1];
    expect(last.finishReason).toBe('stop');
    expect(last.model).toBe('llama3.2');
    expect(last.usage).toEqual({
      inputTokens: expected.inputTokens,
      outputTokens: tokenize(expected.text).length,
      totalTokens: expected.inputTokens + tokenize(expected.text).length,
    });
    expect(last.metadata).toMatchObject({ rawFinishReason: 'stop' });
    expect(typeof last.metadata?.evalDurationNs).toBe('number');
    expect(last.metadata?.tokensPerSecond).toBeCloseTo(50, 6);

    const body = lastBody();
    expect(server.requests[server.requests.length - 1].path).toBe('/api/chat');
    expect(body).toEqual({ model: 'llama3.2', messages: [{ role: 'user', content: 'Why does streaming matter?' }], stream: true, options: { temperature: 0.2 } });
  });

  test("by id: streamChat$('ollama', …) finds the registered provider", async () => {
    const messages = ask('Hello there');
    const response = await lastValueFrom(streamChat$('ollama', messages, { baseURL: server.url }).pipe(toResponse()));
    expect(response.provider).toBe('ollama');
    expect(response.content).toBe(answerFor(messages).text);
    expect(lastBody().model).toBe('llama3.2');
  });

  test('thinking: think: true streams reasoning before the text', async () => {
    const messages = ask('Explain latency.');
    const { chunks, error } = await collect(streamChat$(ollama, messages, { baseURL: server.url, model: 'qwen3', think: true }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages, { thinking: true });
    expect(expected.reasoning).not.toBe('');
    expect(chunks.map((c) => c.reasoning ?? '').join('')).toBe(expected.reasoning);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
    const firstContent = chunks.findIndex((c) => c.content);
    expect(chunks.slice(firstContent).some((c) => c.reasoning)).toBe(false);
    expect(lastBody().think).toBe(true);
  });

  test('maxTokens → num_predict: the answer is cut with finish reason length', async () => {
    const messages = ask('Tell me about streams.');
    const response = await lastValueFrom(streamChat$(ollama, messages, { baseURL: server.url, maxTokens: 5 }).pipe(toResponse()));
    expect(response.content).toBe(tokenize(answerFor(messages).text).slice(0, 5).join(''));
    expect(response.finishReason).toBe('length');
    expect(response.usage?.outputTokens).toBe(5);
    expect(lastBody().options).toEqual({ num_predict: 5 });
  });

  test('tool call, then the tool result sent back by tool_name', async () => {
    const messages = ask('Use get_weather for Paris');
    const first = await lastValueFrom(streamChat$(ollama, messages, { baseURL: server.url, tools: [weather] }).pipe(toResponse()));
    const expected = answerFor(messages, { tools: [{ name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } }] });
    expect(first.finishReason).toBe('tool_calls');
    expect(first.metadata.rawFinishReason).toBe('stop');
    expect(first.content).toBe('');
    expect(first.toolCalls).toHaveLength(1);
    expect(first.toolCalls[0]).toMatchObject({ index: 0, id: expected.toolCalls[0].id, name: 'get_weather', arguments: JSON.parse(expected.toolCalls[0].arguments) });
    expect(lastBody().tools).toEqual([{ type: 'function', function: { name: 'get_weather', description: weather.description, parameters: weather.parameters } }]);

    const call = first.toolCalls[0];
    const followUp: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.argumentsText }] },
      { role: 'tool', content: '18°C and sunny', toolCallId: call.id },
    ];
    const second = await lastValueFrom(streamChat$(ollama, followUp, { baseURL: server.url, tools: [weather] }).pipe(toResponse()));
    expect(second.content).toBe('The tool answered: 18°C and sunny');
    expect(second.finishReason).toBe('stop');
    expect(lastBody().messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ id: call.id, function: { name: 'get_weather', arguments: call.arguments } }] },
      { role: 'tool', content: '18°C and sunny', tool_name: 'get_weather', tool_call_id: call.id },
    ]);
  });

  test('the mock server answers with NDJSON lines, ending with the done line; strings Go-escaped', async () => {
    const response = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-sentences': '1' },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Use get_weather for <Rome> & Oslo' }], tools: [{ type: 'function', function: weatherFunction() }] }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    const objects = lines.map((l) => JSON.parse(l));
    expect(objects.slice(0, -1).every((o) => o.done === false)).toBe(true);
    const done = objects[objects.length - 1];
    expect(Object.keys(done)).toEqual([
      'model', 'created_at', 'message', 'done', 'done_reason',
      'total_duration', 'load_duration', 'prompt_eval_count', 'prompt_eval_duration', 'eval_count', 'eval_duration',
    ]);
    expect(done.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
    expect(objects[0].message.tool_calls[0].function).toEqual({ index: 0, name: 'get_weather', arguments: { city: 'Oslo' } });

    // Go's encoding/json escapes <, > and & inside strings; the text still reads the same
    const result = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.2', messages: [{ role: 'user', content: 'Weather?' }, { role: 'tool', content: '<b>18°C</b> & sunny', tool_name: 'get_weather' }] }),
    });
    const raw = await result.text();
    expect(raw).toContain('\\u003cb\\u003e18°C\\u003c/b\\u003e');
    expect(raw).toContain('"content":" \\u0026"');
    expect(raw).not.toMatch(/[<>&]/);
    const content = raw.slice(0, -1).split('\n').map((l) => JSON.parse(l).message.content).join('');
    expect(content).toBe('The tool answered: <b>18°C</b> & sunny');
  });

  test('errors are {"error": …} with a 400; stream: false gets one JSON object', async () => {
    const post = (body: unknown) =>
      fetch(`${server.url}/api/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const missing = await post({ model: 'llama3.2' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: 'messages is required' });
    const noModel = await post({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(noModel.status).toBe(400);
    expect(await noModel.json()).toEqual({ error: 'model is required' });

    const messages = [{ role: 'user', content: 'One answer, please.' }];
    const whole = await post({ model: 'llama3.2', messages, stream: false });
    expect(whole.headers.get('content-type')).toBe('application/json');
    const answer = await whole.json();
    expect(answer).toMatchObject({ model: 'llama3.2', done: true, done_reason: 'stop', message: { role: 'assistant', content: answerFor(messages).text } });

    // rxllm reads the 400 as an HttpError with the server's message
    const { error } = await collect(streamChat$(ollama, messages as ChatMessage[], { baseURL: server.url, extraBody: { model: '' } }));
    expect(isHttpError(error)).toBe(true);
    expect((error as Error).message).toBe('ollama answered HTTP 400: model is required');
  });

  describe('the official ollama client against the same server', () => {
    test('streams the same text as rxllm', async () => {
      const messages = ask('Why are observables a good fit for streaming?');
      const client = new Ollama({ host: server.url });
      const parts = await client.chat({ model: 'llama3.2', messages, stream: true });
      let text = '';
      let last: { done: boolean; done_reason: string; eval_count: number } | undefined;
      for await (const part of parts) {
        text += part.message.content;
        last = part;
      }
      const ours = await lastValueFrom(streamChat$(ollama, messages, { baseURL: server.url }).pipe(toResponse()));
      expect(text).toBe(answerFor(messages).text);
      expect(ours.content).toBe(text);
      expect(last).toMatchObject({ done: true, done_reason: 'stop', eval_count: ours.usage?.outputTokens });
    });

    test('thinking and tool calls read the same way by both', async () => {
      const client = new Ollama({ host: server.url });
      const think = ask('Think, then answer.');
      let thinking = '';
      for await (const part of await client.chat({ model: 'qwen3', messages: think, stream: true, think: true })) thinking += part.message.thinking ?? '';
      const ours = await lastValueFrom(streamChat$(ollama, think, { baseURL: server.url, think: true }).pipe(toResponse()));
      expect(thinking).toBe(answerFor(think, { thinking: true }).reasoning);
      expect(thinking).not.toBe('');
      expect(ours.reasoning).toBe(thinking);

      const lisbon = ask('Use get_weather for Lisbon');
      const whole = await client.chat({ model: 'llama3.2', messages: lisbon, tools: [{ type: 'function', function: weatherFunction() }] });
      const viaRxllm = await lastValueFrom(streamChat$(ollama, lisbon, { baseURL: server.url, tools: [weather] }).pipe(toResponse()));
      expect(whole.message.tool_calls).toHaveLength(1);
      expect(whole.message.tool_calls?.map((c) => ({ name: c.function.name, arguments: c.function.arguments }))).toEqual(
        viaRxllm.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
      );
    });
  });
});

/** one user turn, typed for both `streamChat$` and the mock model */
function ask(content: string) {
  return [{ role: 'user' as const, content }];
}

function weatherFunction() {
  return { name: weather.name, description: weather.description, parameters: weather.parameters };
}
