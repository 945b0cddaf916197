import Anthropic from '@anthropic-ai/sdk';
import { lastValueFrom, toArray } from 'rxjs';
import { createResponseAccumulator, isHttpError, streamChat$, toAssistantMessage, toResponse, type ChatMessage, type ToolDefinition } from '../../lib';
import type { ThinkingBlock } from '../../lib/types/thinkingBlock';
import { anthropic } from '../../providers/anthropic';
import { toAnthropicMessages } from '../../providers/anthropic/toAnthropicMessages';
import { answerFor, startMockServer, tokenize, type MockServer } from '../../testing';

/** A text turn, valid both as a ChatMessage and as a message of the mock model. */
type PlainTurn = { role: 'system' | 'user'; content: string };

const getWeather: ToolDefinition = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

describe('anthropic against the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const options = () => ({ baseURL, apiKey: 'sk-ant-mock-key-000' });
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = `${server.url}/v1`;
  });
  afterAll(() => server.close());

  test('text: the deterministic answer, stop, usage', async () => {
    const messages: PlainTurn[] = [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Why does streaming matter for chat interfaces?' },
    ];
    const expected = answerFor(messages);
    const response = await lastValueFrom(streamChat$(anthropic, messages, options()).pipe(toResponse()));
    expect(response.content).toBe(expected.text);
    expect(response.reasoning).toBe('');
    expect(response.toolCalls).toEqual([]);
    expect(response.finishReason).toBe('stop');
    expect(response.metadata.rawFinishReason).toBe('end_turn');
    expect(response.usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: tokenize(expected.text).length, cachedInputTokens: 0 });
    expect(response.model).toBe(anthropic.defaultModel);
    expect(response.id).toMatch(/^msg_/);

    const request = server.requests[server.requests.length - 1];
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe('sk-ant-mock-key-000');
    expect(request.body).toMatchObject({ system: 'Answer briefly.', messages: [{ role: 'user', content: 'Why does streaming matter for chat interfaces?' }] });
  });

  test("by id: streamChat$('anthropic', …) uses the registered provider", async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Tell me about tokens per second.' }];
    const response = await lastValueFrom(streamChat$('anthropic', messages, options()).pipe(toResponse()));
    expect(response.provider).toBe('anthropic');
    expect(response.content).toBe(answerFor(messages).text);
  });

  test('thinking: the reasoning streams before the answer, with a signature', async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Explain cancellation of streams.' }];
    const expected = answerFor(messages, { thinking: true });
    const chunks = await lastValueFrom(streamChat$(anthropic, messages, { ...options(), thinking: { budgetTokens: 1024 } }).pipe(toArray()));
    const response = createResponseAccumulator();
    chunks.forEach((c) => response.add(c));
    const { reasoning, content, metadata } = response.snapshot();
    expect(reasoning).toBe(expected.reasoning);
    expect(reasoning.length).toBeGreaterThan(0);
    expect(content).toBe(expected.text);
    expect(typeof metadata.thinkingSignature).toBe('string');
    const lastReasoning = chunks.filter((c) => c.reasoning).pop()!.seq;
    const firstContent = chunks.find((c) => c.content)!.seq;
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(server.requests[server.requests.length - 1].body).toMatchObject({ thinking: { type: 'enabled', budget_tokens: 1024 }, max_tokens: 4096 });
  });

  test('tool call: tool_use with parsed input, then the tool result answered', async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'What is the weather in Paris? Use the get_weather tool.' }];
    const expected = answerFor(messages, { tools: [{ name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } }] });
    expect(expected.toolCalls).toHaveLength(1);
    const response = await lastValueFrom(streamChat$(anthropic, messages, { ...options(), tools: [getWeather] }).pipe(toResponse()));
    expect(response.finishReason).toBe('tool_calls');
    expect(response.metadata.rawFinishReason).toBe('tool_use');
    expect(response.toolCalls).toHaveLength(1);
    const call = response.toolCalls[0];
    expect(call).toMatchObject({ index: 0, name: 'get_weather', arguments: JSON.parse(expected.toolCalls[0].arguments) });
    expect(call.id).toMatch(/^toolu_/);
    expect(server.requests[server.requests.length - 1].body).toMatchObject({
      tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: getWeather.parameters }],
    });

    const followUp: ChatMessage[] = [
      ...messages,
      { role: 'assistant', content: null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.arguments }] },
      { role: 'tool', toolCallId: call.id!, content: 'Sunny, 21°C' },
    ];
    const answer = await lastValueFrom(streamChat$(anthropic, followUp, { ...options(), tools: [getWeather] }).pipe(toResponse()));
    expect(answer.content).toBe('The tool answered: Sunny, 21°C');
    expect(answer.finishReason).toBe('stop');
  });

  test('thinking with tools: the tool result turn sends the thinking blocks back before the tool_use; without them the mock refuses as the API does', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: 'Weather in Oslo? Use get_weather.' }];
    const settings = { ...options(), thinking: { budgetTokens: 1024 }, tools: [getWeather] };
    const first = await lastValueFrom(streamChat$(anthropic, messages, settings).pipe(toResponse()));
    expect(first.finishReason).toBe('tool_calls');
    const call = first.toolCalls[0];
    // ChatResponse.metadata is a plain record: the key's type is ChunkMetadata's
    const thinkingBlocks = first.metadata.thinkingBlocks as ThinkingBlock[];
    expect(thinkingBlocks).toEqual([{ type: 'thinking', thinking: first.reasoning, signature: first.metadata.thinkingSignature }]);

    const assistant: ChatMessage = { role: 'assistant', content: first.content || null, toolCalls: [{ id: call.id!, name: call.name!, arguments: call.arguments }] };
    const result: ChatMessage = { role: 'tool', toolCallId: call.id!, content: 'Rain, 9°C' };
    const refused = await new Promise<unknown>((resolve) =>
      streamChat$(anthropic, [...messages, assistant, result], settings).subscribe({ error: resolve, complete: () => resolve(undefined) }),
    );
    expect(isHttpError(refused)).toBe(true);
    expect(refused).toMatchObject({
      status: 400,
      body: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message:
            'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking',
        },
      },
    });

    const answer = await lastValueFrom(streamChat$(anthropic, [...messages, { ...assistant, thinkingBlocks }, result], settings).pipe(toResponse()));
    expect(answer.content).toBe('The tool answered: Rain, 9°C');
    const sent = server.requests[server.requests.length - 1].body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    expect(sent.messages[1].content[0]).toEqual({ type: 'thinking', thinking: first.reasoning, signature: first.metadata.thinkingSignature });
    expect(sent.messages[1].content.at(-1)).toMatchObject({ type: 'tool_use', id: call.id });
  });

  test('max_tokens: a longer answer is cut and ends with length', async () => {
    const messages: PlainTurn[] = [{ role: 'user', content: 'Write about latency.' }];
    const response = await lastValueFrom(streamChat$(anthropic, messages, { ...options(), maxTokens: 3 }).pipe(toResponse()));
    expect(response.content).toBe(tokenize(answerFor(messages).text).slice(0, 3).join(''));
    expect(response.finishReason).toBe('length');
    expect(response.metadata.rawFinishReason).toBe('max_tokens');
  });

  test('a request the API refuses gets its error body: HttpError with the Anthropic error type', async () => {
    const { error } = await new Promise<{ error?: unknown }>((resolve) =>
      streamChat$(anthropic, [{ role: 'user', content: 'Hi' }], { ...options(), extraBody: { max_tokens: 0 } }).subscribe({
        error: (e) => resolve({ error: e }),
        complete: () => resolve({}),
      }),
    );
    expect(isHttpError(error)).toBe(true);
    expect(error).toMatchObject({ status: 400, body: { type: 'error', error: { type: 'invalid_request_error' } } });
    expect((error as Error).message).toContain('invalid_request_error: max_tokens');
  });

  describe('@anthropic-ai/sdk on the same server', () => {
    const client = () => new Anthropic({ apiKey: 'sk-ant-sdk-key', baseURL: server.url, maxRetries: 0 });

    test('streams the same text as rxllm', async () => {
      const prompt = 'How do observables model streaming answers?';
      const stream = client().messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] });
      let sdkText = '';
      stream.on('text', (delta) => (sdkText += delta));
      const final = await stream.finalMessage();
      const ours = await lastValueFrom(
        streamChat$(anthropic, [{ role: 'user', content: prompt }], { ...options(), model: 'claude-sonnet-4-6', maxTokens: 1024 }).pipe(toResponse()),
      );
      expect(sdkText.length).toBeGreaterThan(0);
      expect(ours.content).toBe(sdkText);
      expect(final.stop_reason).toBe('end_turn');
      expect(ours.usage?.outputTokens).toBe(final.usage.output_tokens);
      expect(ours.usage?.inputTokens).toBe(final.usage.input_tokens);
    });

    test('assembles the same tool call and thinking as rxllm', async () => {
      const prompt = 'Weather in Lisbon please, use the get_weather tool.';
      const final = await client()
        .messages.stream({
          model: 'claude-sonnet-4-6',
          max_tokens: 4096,
          thinking: { type: 'enabled', budget_tokens: 1024 },
          tools: [{ name: 'get_weather', description: getWeather.description, input_schema: getWeather.parameters as never }],
          messages: [{ role: 'user', content: prompt }],
        })
        .finalMessage();
      const ours = await lastValueFrom(
        streamChat$(anthropic, [{ role: 'user', content: prompt }], { ...options(), thinking: { budgetTokens: 1024 }, tools: [getWeather] }).pipe(toResponse()),
      );
      const sdkTool = final.content.find((b) => b.type === 'tool_use');
      const sdkThinking = final.content.find((b) => b.type === 'thinking');
      expect(sdkTool).toBeDefined();
      expect(ours.toolCalls).toEqual([{ index: 0, id: (sdkTool as { id: string }).id, name: 'get_weather', arguments: (sdkTool as { input: unknown }).input, argumentsText: JSON.stringify((sdkTool as { input: unknown }).input) }]);
      expect(ours.reasoning).toBe((sdkThinking as { thinking: string }).thinking);
      expect(ours.metadata.thinkingSignature).toBe((sdkThinking as { signature: string }).signature);
      expect(final.stop_reason).toBe('tool_use');
    });

    test('x-mock-thinking-blocks: thinking, redacted and thinking blocks — the SDK reads the blocks rxllm keeps, toAssistantMessage sends back its content, and both next turns are accepted', async () => {
      const prompt = 'Weather in Bergen? Use the get_weather tool.';
      const headers = { 'x-mock-thinking-blocks': 'thinking,redacted_thinking,thinking' };
      const request = {
        model: 'claude-sonnet-4-6',
        max_tokens: 4096,
        thinking: { type: 'enabled', budget_tokens: 1024 } as const,
        tools: [{ name: 'get_weather', description: getWeather.description, input_schema: getWeather.parameters as never }],
      };
      const final = await client().messages.stream({ ...request, messages: [{ role: 'user', content: prompt }] }, { headers }).finalMessage();
      const settings = { ...options(), model: 'claude-sonnet-4-6', maxTokens: 4096, thinking: { budgetTokens: 1024 }, tools: [getWeather] };
      const ours = await lastValueFrom(streamChat$(anthropic, [{ role: 'user', content: prompt }], { ...settings, headers }).pipe(toResponse()));

      const sdkThinking = final.content.filter((b) => b.type === 'thinking' || b.type === 'redacted_thinking');
      expect(sdkThinking.map((b) => b.type)).toEqual(['thinking', 'redacted_thinking', 'thinking']);
      expect(ours.metadata.thinkingBlocks).toStrictEqual(sdkThinking);
      expect(ours.reasoning).toBe(sdkThinking.map((b) => (b.type === 'thinking' ? b.thinking : '')).join(''));
      expect(final.stop_reason).toBe('tool_use');

      // rxllm's assistant turn, as its request builder writes it: the SDK's final content, block for block
      const [call] = ours.toolCalls;
      const result: ChatMessage = { role: 'tool', toolCallId: call.id!, content: 'Fog, 11°C' };
      const history: ChatMessage[] = [{ role: 'user', content: prompt }, toAssistantMessage(ours), result];
      expect(toAnthropicMessages(history).messages[1]).toStrictEqual({ role: 'assistant', content: final.content });

      const answer = await lastValueFrom(streamChat$(anthropic, history, settings).pipe(toResponse()));
      expect(answer.content).toBe('The tool answered: Fog, 11°C');
      const oursSent = server.requests[server.requests.length - 1].body as { messages: unknown[] };
      // the SDK sends the next turn from its own final content
      const sdkAnswer = await client()
        .messages.stream({
          ...request,
          messages: [
            { role: 'user', content: prompt },
            { role: 'assistant', content: final.content },
            { role: 'user', content: [{ type: 'tool_result', tool_use_id: (final.content.at(-1) as { id: string }).id, content: 'Fog, 11°C' }] },
          ],
        })
        .finalMessage();
      expect(sdkAnswer.stop_reason).toBe('end_turn');
      expect(sdkAnswer.content.flatMap((b) => (b.type === 'text' ? [b.text] : [])).join('')).toBe(answer.content);
      const sdkSent = server.requests[server.requests.length - 1].body as { messages: unknown[] };
      expect(sdkSent.messages).toEqual(oursSent.messages);
    });

    test('x-mock-thinking-blocks: a whole message (not streamed) has the blocks named, in order; a value that is not a list of block types gets a 400', async () => {
      const messages: PlainTurn[] = [{ role: 'user', content: 'Weather in Tromsø? Use the get_weather tool.' }];
      const body = { model: 'claude-sonnet-4-6', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 } as const, messages };
      const tools = [{ name: 'get_weather', input_schema: getWeather.parameters as never }];
      const message = await client().messages.create({ ...body, tools }, { headers: { 'x-mock-thinking-blocks': 'redacted_thinking, thinking,thinking' } });
      expect(message.content.map((b) => b.type)).toEqual(['redacted_thinking', 'thinking', 'thinking', 'tool_use']);
      const thoughts = message.content.flatMap((b) => (b.type === 'thinking' ? [b] : []));
      expect(thoughts.map((b) => b.thinking).join('')).toBe(answerFor(messages, { thinking: true, tools: [{ name: 'get_weather' }] }).reasoning);
      expect(thoughts.every((b) => b.thinking !== '')).toBe(true);
      expect(new Set(thoughts.map((b) => b.signature)).size).toBe(2);
      await expect(client().messages.create(body, { headers: { 'x-mock-thinking-blocks': 'thinking,redacted' } })).rejects.toMatchObject({
        status: 400,
        error: { type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('x-mock-thinking-blocks') } },
      });
    });

    test.each(['char', 'page', 'block'] as const)(
      'x-mock-document-citations: %s — the SDK reads the same text and document citations as rxllm',
      async (kind) => {
        const prompt = 'Summarize the attached document, citing it.';
        // an answer with an indented code line, a list, CJK and emoji, cited sentence by sentence
        const text = 'The guide has two steps. First:\n\n    npm run build\n\n- 東京 works too! Done 🚀.';
        const headers = { 'x-mock-document-citations': kind, 'x-mock-answer': Buffer.from(text).toString('base64') };
        const final = await client()
          .messages.stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, messages: [{ role: 'user', content: prompt }] }, { headers })
          .finalMessage();
        const ours = await lastValueFrom(streamChat$(anthropic, [{ role: 'user', content: prompt }], { ...options(), headers }).pipe(toResponse()));
        const blocks = final.content.filter((b) => b.type === 'text') as Array<{ text: string; citations: Array<Record<string, any>> | null }>;
        expect(blocks.map((b) => b.text).join('')).toBe(text);
        expect(ours.content).toBe(text);
        // the SDK's citations, written out in rxllm's shape here, independently of the provider code
        const range = (c: Record<string, any>) =>
          c.type === 'char_location'
            ? { kind: 'char', start: c.start_char_index, end: c.end_char_index }
            : c.type === 'page_location'
              ? { kind: 'page', start: c.start_page_number, end: c.end_page_number }
              : { kind: 'block', start: c.start_block_index, end: c.end_block_index };
        const sdk = blocks.flatMap((b) => b.citations ?? []);
        expect(sdk).toHaveLength(3);
        expect(ours.citations).toEqual(
          sdk.map((c) => ({ documentIndex: c.document_index, location: range(c), ...(c.document_title ? { title: c.document_title } : {}), snippet: c.cited_text })),
        );
        expect(ours.citations[2].snippet).toBe('Done 🚀.');
      },
    );

    test('the mock error body is what the SDK expects: BadRequestError with the error type', async () => {
      await expect(client().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 100, messages: [] })).rejects.toMatchObject({
        status: 400,
        error: { type: 'error', error: { type: 'invalid_request_error' } },
      });
    });
  });
});
