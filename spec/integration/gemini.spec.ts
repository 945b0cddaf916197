import { GoogleGenAI, type Content, type Part } from '@google/genai';
import { lastValueFrom, toArray } from 'rxjs';
import { createResponseAccumulator, isHttpError, streamChat$, toAssistantMessage, toResponse, type ChatMessage, type HttpError, type ToolDefinition } from '../../lib';
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

  describe('Gemini 3: thought signatures on tool calls', () => {
    const model = 'gemini-3-pro-preview';
    const question: ChatMessage = { role: 'user', content: 'Wie ist das Wetter in Zürich? Use the get_weather tool.' };

    test('a tool conversation built only from toResponse() and the tool result goes on: each call goes back with its signature', async () => {
      const first = await lastValueFrom(streamChat$(gemini, [question], { ...options(), model, tools: [getWeather] }).pipe(toResponse()));
      expect(first.finishReason).toBe('tool_calls');
      const [call] = first.toolCalls;
      const signature = call.thoughtSignature;
      expect(signature).toEqual(expect.stringMatching(/^[A-Za-z0-9+/]+=*$/));
      // the answer's tool calls, as they are, are the assistant turn's
      const followUp: ChatMessage[] = [
        question,
        { role: 'assistant', content: first.content || null, toolCalls: first.toolCalls.map((c) => ({ ...c, id: c.id!, name: c.name! })) },
        { role: 'tool', content: '{"tempC":4,"sky":"☁️"}', toolCallId: call.id! },
      ];
      const answer = await lastValueFrom(streamChat$(gemini, followUp, { ...options(), model, tools: [getWeather] }).pipe(toResponse()));
      expect(answer.content).toBe('The tool answered: {"tempC":4,"sky":"☁️"}');
      const sent = server.requests[server.requests.length - 1].body as { contents: Array<{ role: string; parts: unknown[] }> };
      expect(sent.contents[1]).toEqual({ role: 'model', parts: [{ functionCall: { name: 'get_weather', args: call.arguments }, thoughtSignature: signature }] });
    });

    test('a call sent back without its signature: 400 INVALID_ARGUMENT, as the real API answers', async () => {
      const first = await lastValueFrom(streamChat$(gemini, [question], { ...options(), model, tools: [getWeather] }).pipe(toResponse()));
      const [call] = first.toolCalls;
      const unsigned: ChatMessage[] = [
        question,
        { role: 'assistant', content: null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.argumentsText }] },
        { role: 'tool', content: '{"tempC":4}', toolCallId: call.id! },
      ];
      const error = await lastValueFrom(streamChat$(gemini, unsigned, { ...options(), model, tools: [getWeather] })).catch((e: unknown) => e);
      expect(isHttpError(error)).toBe(true);
      expect((error as HttpError).status).toBe(400);
      expect((error as HttpError).body).toEqual({
        error: {
          code: 400,
          message:
            'Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature ' +
            'may lead to degraded model performance. Additional data, function call `default_api:get_weather` , position 2. Please refer to ' +
            'https://ai.google.dev/gemini-api/docs/thought-signatures for more details.',
          status: 'INVALID_ARGUMENT',
        },
      });
      // an older model does not ask for it, and older turns are not checked
      await expect(lastValueFrom(streamChat$(gemini, unsigned, { ...options(), tools: [getWeather] }).pipe(toResponse()))).resolves.toMatchObject({ finishReason: 'stop' });
      const later: ChatMessage[] = [...unsigned, { role: 'assistant', content: 'It is 4 °C.' }, { role: 'user', content: 'Danke! Und morgen?' }];
      await expect(lastValueFrom(streamChat$(gemini, later, { ...options(), model }).pipe(toResponse()))).resolves.toMatchObject({ finishReason: 'stop' });
    });
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

    test('a grounded answer (x-mock-grounding): the sources and supports the SDK reads are rxllm citations, spans converted from bytes', async () => {
      const text = 'Zürich liegt an der Limmat. 東京は晴れ 🌤️です。\n    print("naïve")\n- 👩‍👩‍👧 Familie: ja!';
      const headers = { 'x-mock-grounding': '3', 'x-mock-answer': Buffer.from(text).toString('base64') };
      const prompt = 'Wetter in Zürich und Tokio?';
      let sdkText = '';
      let grounding: { groundingChunks?: Array<{ web?: { uri?: string; title?: string } }>; groundingSupports?: Array<{ segment?: { startIndex?: number; endIndex?: number; text?: string }; groundingChunkIndices?: number[] }> } | undefined;
      let usage: { promptTokenCount?: number; toolUsePromptTokenCount?: number; totalTokenCount?: number } | undefined;
      const sdkStream = await new GoogleGenAI({ apiKey: 'AIza-mock-key-000', httpOptions: { baseUrl: server.url, headers, fetch: (input, init) => fetch(input, init) } }).models.generateContentStream({
        model: 'gemini-2.5-flash',
        contents: prompt,
        config: { tools: [{ googleSearch: {} }] },
      });
      for await (const chunk of sdkStream) {
        sdkText += chunk.text ?? '';
        grounding = chunk.candidates?.[0]?.groundingMetadata ?? grounding;
        usage = chunk.usageMetadata ?? usage;
      }
      expect(sdkText).toBe(text);
      expect(grounding?.groundingSupports?.length).toBeGreaterThanOrEqual(3);

      // what rxllm should read, from the SDK's bytes: each support's UTF-8 byte range, as string indices
      const utf8 = Buffer.from(sdkText);
      const indexOf = (byte: number) => utf8.subarray(0, byte).toString('utf8').length;
      const sources = grounding!.groundingChunks!.map((c) => ({ url: c.web!.uri!, title: c.web!.title! }));
      const expected = sources.flatMap((source, i) =>
        grounding!.groundingSupports!.filter((s) => s.groundingChunkIndices!.includes(i)).map((s) => {
          const start = s.segment!.startIndex ?? 0;
          expect(utf8.subarray(start, s.segment!.endIndex!).toString('utf8')).toBe(s.segment!.text);
          return { ...source, span: { start: indexOf(start), end: indexOf(s.segment!.endIndex!), text: s.segment!.text! } };
        }),
      );

      const chunks = await lastValueFrom(streamChat$(gemini, [{ role: 'user', content: prompt }], { ...options(), headers }).pipe(toArray()));
      const fold = createResponseAccumulator();
      chunks.forEach((c) => fold.add(c));
      const ours = fold.snapshot();
      expect(ours.content).toBe(sdkText);
      expect(chunks.flatMap((c) => c.citations ?? [])).toEqual(expected);
      for (const c of expected) expect(ours.content.slice(c.span.start, c.span.end)).toBe(c.span.text);
      expect(ours.citations.map((c) => c.url)).toEqual(sources.map((s) => s.url));
      expect(ours.metadata.groundingMetadata).toEqual(grounding);
      expect(ours.usage?.inputTokens).toBe(usage!.promptTokenCount! + usage!.toolUsePromptTokenCount!);
      expect(ours.usage!.inputTokens! + ours.usage!.outputTokens!).toBe(usage!.totalTokenCount);
    });

    test("Gemini 3: the thoughtSignature the SDK reads on each call is rxllm's; both next requests are accepted, the SDK's without it gets the 400 rxllm gets", async () => {
      const model = 'gemini-3-pro-preview';
      const prompt = 'Wie ist das Wetter in Bern? Use the get_weather tool.';
      const config = { tools: [{ functionDeclarations: [{ name: getWeather.name, description: getWeather.description, parametersJsonSchema: getWeather.parameters }] }] };
      const settings = { ...options(), model, tools: [getWeather] };
      // the SDK's chat keeps its own history: the model content as it read it
      const chat = sdk().chats.create({ model, config });
      const sdkParts: Part[] = [];
      for await (const chunk of await chat.sendMessageStream({ message: prompt })) sdkParts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      const sdkCalls = sdkParts.filter((p) => p.functionCall);
      const ours = await lastValueFrom(streamChat$(gemini, [{ role: 'user', content: prompt }], settings).pipe(toResponse()));
      expect(sdkCalls).toHaveLength(1);
      expect(sdkCalls[0].thoughtSignature).toEqual(expect.stringMatching(/^[A-Za-z0-9+/]+=*$/));
      expect(ours.toolCalls.map((c) => ({ name: c.name, args: c.arguments, thoughtSignature: c.thoughtSignature }))).toEqual(
        sdkCalls.map((p) => ({ name: p.functionCall!.name, args: p.functionCall!.args, thoughtSignature: p.thoughtSignature })),
      );

      const result = { functionResponse: { name: 'get_weather', response: { tempC: 6 } } };
      let sdkText = '';
      for await (const chunk of await chat.sendMessageStream({ message: result })) sdkText += chunk.text ?? '';
      const sdkSent = server.requests[server.requests.length - 1].body as { contents: unknown[] };
      const [call] = ours.toolCalls;
      const followUp: ChatMessage[] = [{ role: 'user', content: prompt }, toAssistantMessage(ours), { role: 'tool', content: '{"tempC":6}', toolCallId: call.id! }];
      const answer = await lastValueFrom(streamChat$(gemini, followUp, settings).pipe(toResponse()));
      expect(answer.content).toBe('The tool answered: {"tempC":6}');
      expect(sdkText).toBe(answer.content);
      expect(sdkSent.contents).toEqual((server.requests[server.requests.length - 1].body as { contents: unknown[] }).contents);

      // the SDK's own history with the signature taken off: refused with the body rxllm's unsigned turn gets
      const unsigned: Content[] = chat.getHistory().slice(0, 2).map((c) => ({ ...c, parts: c.parts?.map(({ thoughtSignature: _, ...part }) => part) }));
      const sdkError = await sdk().chats.create({ model, config, history: unsigned }).sendMessageStream({ message: result }).catch((e: Error & { status?: number }) => e);
      const oursUnsigned: ChatMessage = { ...followUp[1], toolCalls: followUp[1].toolCalls!.map(({ thoughtSignature: _, ...c }) => c) };
      const oursError = await lastValueFrom(streamChat$(gemini, [followUp[0], oursUnsigned, followUp[2]], settings)).catch((e: unknown) => e);
      expect(isHttpError(oursError)).toBe(true);
      expect((oursError as HttpError).status).toBe(400);
      expect(sdkError).toMatchObject({ name: 'ApiError', status: 400 });
      expect(JSON.parse((sdkError as Error).message)).toEqual((oursError as HttpError).body);
      expect((oursError as HttpError).body).toMatchObject({ error: { status: 'INVALID_ARGUMENT', message: expect.stringContaining('missing a thought_signature') } });
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
