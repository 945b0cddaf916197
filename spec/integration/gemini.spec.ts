import { GoogleGenAI } from '@google/genai';
import { lastValueFrom, toArray } from 'rxjs';
import { createResponseAccumulator, isHttpError, streamChat$, toResponse, type ChatMessage, type HttpError, type ToolDefinition } from '../../lib';
import { gemini } from '../../providers/gemini';
import { answerFor, startMockServer, tokenize, type MockServer } from '../../testing';

/** A text turn, valid both as a ChatMessage and as a message of the mock model. */
type PlainTurn = { role: 'system' | 'user'; content: string };

const getWeather: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('gemini against the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const options = () => ({ baseURL, apiKey: 'AIza-mock-key-000' });
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = `${server.url}/v1beta`;
  });
  afterAll(() => server.close());

  test('text: the deterministic answer, stop, usage', async () => {
    const messages: PlainTurn[] = [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Why does streaming matter for chat interfaces?' },
    ];
    const expected = answerFor(messages);
    const chunks = await lastValueFrom(streamChat$(gemini, messages, options()).pipe(toArray()));
    const accumulator = createResponseAccumulator();
    chunks.forEach((c) => accumulator.add(c));
    const response = accumulator.snapshot();
    expect(chunks.length).toBeGreaterThan(1);
    expect(response.content).toBe(expected.text);
    expect(response.reasoning).toBe('');
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(response.metadata.rawFinishReason).toBe('STOP');
    const outputTokens = tokenize(expected.text).length;
    expect(response.usage).toEqual({ inputTokens: expected.inputTokens, outputTokens, totalTokens: expected.inputTokens + outputTokens });
    expect(response.model).toBe(gemini.defaultModel);
    expect(response.id).toMatch(/^mock/);

    const request = server.requests[server.requests.length - 1];
    expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
    expect(request.headers['x-goog-api-key']).toBe('AIza-mock-key-000');
    expect(request.body).toEqual({
      contents: [{ role: 'user', parts: [{ text: 'Why does streaming matter for chat interfaces?' }] }],
      systemInstruction: { parts: [{ text: 'Answer briefly.' }] },
    });
  });

  test("by id: streamChat$('gemini', …) uses the registered provider", async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Tell me about tokens per second.' }];
    const response = await lastValueFrom(streamChat$('gemini', messages, { ...options(), model: 'gemini-2.0-flash' }).pipe(toResponse()));
    expect(response.provider).toBe('gemini');
    expect(response.model).toBe('gemini-2.0-flash');
    expect(response.content).toBe(answerFor(messages).text);
  });

  test('thoughts: thought parts stream as reasoning before the answer', async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Explain cancellation of streams.' }];
    const expected = answerFor(messages, { thinking: true });
    const chunks = await lastValueFrom(streamChat$(gemini, messages, { ...options(), thinking: { includeThoughts: true } }).pipe(toArray()));
    const response = createResponseAccumulator();
    chunks.forEach((c) => response.add(c));
    const result = response.snapshot();
    expect(result.reasoning).toBe(expected.reasoning);
    expect(result.content).toBe(expected.text);
    const lastThought = chunks.map((c) => !!c.reasoning).lastIndexOf(true);
    const firstText = chunks.findIndex((c) => !!c.content);
    expect(lastThought).toBeGreaterThanOrEqual(0);
    expect(lastThought).toBeLessThan(firstText);
    expect(result.usage?.reasoningTokens).toBe(tokenize(expected.reasoning).length);
    expect((server.requests[server.requests.length - 1].body as { generationConfig: unknown }).generationConfig).toEqual({ thinkingConfig: { includeThoughts: true } });
  });

  test('function call: one complete call, tool_calls, and the answer after the tool result', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'What is the weather in Paris? Use the get_weather tool.' }];
    const expected = answerFor(messages as PlainTurn[], { tools: [getWeather as never] });
    expect(expected.toolCalls).toHaveLength(1);
    const response = await lastValueFrom(streamChat$(gemini, messages, { ...options(), tools: [getWeather] }).pipe(toResponse()));
    expect(response.finishReason).toBe('tool_calls');
    expect(response.metadata.rawFinishReason).toBe('STOP');
    expect(response.toolCalls).toHaveLength(1);
    const [call] = response.toolCalls;
    expect(call.name).toBe('get_weather');
    expect(call.arguments).toEqual(JSON.parse(expected.toolCalls[0].arguments));
    expect(call.id).toEqual(expect.stringMatching(/\S/));

    // the result goes back as a functionResponse named after the call
    const followUp: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.argumentsText }] },
      { role: 'tool', content: '{"tempC":18}', toolCallId: call.id! },
    ];
    const answer = await lastValueFrom(streamChat$(gemini, followUp, { ...options(), tools: [getWeather] }).pipe(toResponse()));
    expect(answer.content).toBe('The tool answered: {"tempC":18}');
    expect(answer.finishReason).toBe('stop');
    const sent = server.requests[server.requests.length - 1].body as { contents: unknown[] };
    expect(sent.contents.slice(1)).toEqual([
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: JSON.parse(call.argumentsText) } }] },
      { role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { tempC: 18 } } }] },
    ]);
  });

  test('maxTokens cuts the answer with MAX_TOKENS → length', async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Why do tokens stream?' }];
    const response = await lastValueFrom(streamChat$(gemini, messages, { ...options(), maxTokens: 4 }).pipe(toResponse()));
    expect(response.content).toBe(tokenize(answerFor(messages).text).slice(0, 4).join(''));
    expect(response.finishReason).toBe('length');
    expect(response.metadata.rawFinishReason).toBe('MAX_TOKENS');
  });

  test('the wire: data: events framed with CRLF, no [DONE]; without alt=sse a JSON array', async () => {
    const url = `${baseURL}/models/gemini-2.5-flash:streamGenerateContent`;
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'Hi there' }] }] }) };
    const sse = await fetch(`${url}?alt=sse`, init);
    expect(sse.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await sse.text();
    expect(text.startsWith('data: {"candidates": [')).toBe(true);
    expect(text.endsWith('\r\n\r\n')).toBe(true);
    expect(text.split('\r\n\r\n').filter(Boolean).every((e) => e.startsWith('data: ') && !e.includes('\n'))).toBe(true);
    expect(text).not.toContain('[DONE]');

    const plain = await fetch(url, init);
    expect(plain.headers.get('content-type')).toMatch(/^application\/json/);
    const array = (await plain.json()) as Array<{ candidates: Array<{ content: { parts: Array<{ text: string }> } }> }>;
    expect(Array.isArray(array)).toBe(true);
    const events = text.split('\r\n\r\n').filter(Boolean).map((e) => JSON.parse(e.slice(6)));
    expect(array).toEqual(events);
  });

  test('a bad request: HTTP 400 with the Google error body, parsed into HttpError', async () => {
    const sent = await fetch(`${baseURL}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ contents: [{ role: 'assistant', parts: [{ text: 'Hi' }] }] }),
    });
    expect(sent.status).toBe(400);
    expect(await sent.json()).toEqual({ error: { code: 400, message: 'Please use a valid role: user, model.', status: 'INVALID_ARGUMENT' } });

    // a conversation with no user or model turn: the server says contents is not specified
    const error = await lastValueFrom(streamChat$(gemini, [{ role: 'system', content: 'Only a system prompt.' }], options())).catch((e: unknown) => e);
    expect(isHttpError(error)).toBe(true);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).message).toContain('INVALID_ARGUMENT: * GenerateContentRequest.contents: contents is not specified');
    expect((error as HttpError).retryable).toBe(false);
  });

  describe('@google/genai against the same server', () => {
    // `fetch` given explicitly: the SDK otherwise looks for Node's Undici dispatcher on `globalThis`,
    // which Jest's sandboxed global does not carry (outside Jest, `baseUrl` alone is enough)
    const sdk = () => new GoogleGenAI({ apiKey: 'AIza-mock-key-000', httpOptions: { baseUrl: server.url, fetch: (input, init) => fetch(input, init) } });

    test('streams the same text as rxllm', async () => {
      const prompt = 'What makes a good streaming client?';
      let sdkText = '';
      for await (const chunk of await sdk().models.generateContentStream({ model: 'gemini-2.5-flash', contents: prompt })) sdkText += chunk.text ?? '';
      const request = server.requests[server.requests.length - 1];
      expect(request.path).toBe('/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse');
      const ours = await lastValueFrom(streamChat$(gemini, [{ role: 'user', content: prompt }], options()).pipe(toResponse()));
      expect(sdkText).toBe(ours.content);
      expect(sdkText).toBe(answerFor([{ role: 'user', content: prompt }]).text);
    });

    test('thought parts and function calls read the same by both', async () => {
      const prompt = 'Plan the call first. Use the get_weather tool for Rome.';
      let thoughts = '';
      const calls: Array<{ name?: string; args?: unknown }> = [];
      const stream = await sdk().models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: prompt,
        config: {
          thinkingConfig: { includeThoughts: true },
          tools: [{ functionDeclarations: [{ name: getWeather.name, description: getWeather.description, parametersJsonSchema: getWeather.parameters }] }],
        },
      });
      for await (const chunk of stream) {
        for (const part of chunk.candidates?.[0]?.content?.parts ?? []) if (part.thought && part.text) thoughts += part.text;
        for (const call of chunk.functionCalls ?? []) calls.push({ name: call.name, args: call.args });
      }
      const ours = await lastValueFrom(
        streamChat$(gemini, [{ role: 'user', content: prompt }], { ...options(), tools: [getWeather], thinking: { includeThoughts: true } }).pipe(toResponse()),
      );
      expect(thoughts).not.toBe('');
      expect(ours.reasoning).toBe(thoughts);
      expect(calls).toHaveLength(1);
      expect(ours.toolCalls.map((c) => ({ name: c.name, args: c.arguments }))).toEqual(calls);
      expect(ours.metadata.thoughtSignatures).toHaveLength(1);
    });
  });
});
