import { lastValueFrom } from 'rxjs';
import { streamChat$, toAssistantMessage, toResponse, type ChatMessage, type ChatResponse, type ProviderId, type ToolDefinition } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';

const TOOLS: ToolDefinition[] = [
  { name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', description: 'The local time in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
];

/**
 * Every provider that takes tools, as a user runs it — with thinking where the API has it and its
 * mock route enforces what goes back (Anthropic: the thinking blocks before the tool calls; Gemini 3:
 * each call's thought signature; the Responses API: each reasoning item before the item it preceded).
 * Perplexity's API takes no tools.
 */
const CASES: Array<{ id: ProviderId; extra?: object; label?: string; lastInput?: (body: Record<string, any>) => void }> = [
  { id: 'openai' },
  { id: 'azure' },
  { id: 'openai-responses' },
  // reasoning on, nothing stored: each reasoning item goes back sealed, right before the call or message that followed it
  {
    id: 'openai-responses',
    label: 'openai-responses, reasoning sealed (store: false)',
    extra: { extraBody: { reasoning: { summary: 'auto' }, store: false, include: ['reasoning.encrypted_content'] } },
    // the last request's history: the reasoning before the first call, before the first answer, before the second call
    lastInput: (body) => expect(body.input.filter((item: { type?: string; encrypted_content?: string }) => item.type === 'reasoning' && item.encrypted_content)).toHaveLength(3),
  },
  { id: 'anthropic', extra: { model: 'claude-sonnet-4-6', thinking: { budgetTokens: 2048 }, maxTokens: 8192 } },
  { id: 'gemini', extra: { model: 'gemini-3-pro-preview' } },
  { id: 'mistral' },
  { id: 'lmstudio' },
  { id: 'ollama', extra: { model: 'llama3.2' } },
];

describe('a tool conversation built only from toResponse(), toAssistantMessage() and the tool results', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  test.each(CASES.map((c) => ({ ...c, label: c.label ?? c.id })))('$label: two tool rounds, each answered, end to end on the mock server', async ({ id, extra, lastInput }) => {
    const ask = (messages: ChatMessage[]): Promise<ChatResponse> =>
      lastValueFrom(streamChat$(id, messages, { baseURL: mockBaseURL(server, id), apiKey: 'k-tools', tools: TOOLS, ...extra }).pipe(toResponse()));
    const results: Record<string, string> = { get_weather: '{"city":"Oslo","celsius":-3,"sky":"snow ❄"}', get_time: '{"city":"Oslo","time":"17:05"}' };
    const messages: ChatMessage[] = [{ role: 'system', content: 'Answer with the tools.' }];
    const before = server.requests.length;

    for (const [tool, question] of [
      ['get_weather', 'Use the get_weather tool: what is the weather in Oslo?'],
      ['get_time', 'Now use the get_time tool for Oslo.'],
    ]) {
      messages.push({ role: 'user', content: question });
      const called = await ask(messages);
      expect({ finish: called.finishReason, tools: called.toolCalls.map((c) => c.name) }).toEqual({ finish: 'tool_calls', tools: [tool] });
      messages.push(toAssistantMessage(called), ...called.toolCalls.map((call): ChatMessage => ({ role: 'tool', toolCallId: call.id, content: results[tool] })));
      const answered = await ask(messages);
      expect(answered.finishReason).toBe('stop');
      expect(answered.content).toContain('The tool answered:');
      expect(answered.content).toContain(JSON.parse(results[tool]).city);
      messages.push(toAssistantMessage(answered));
    }
    // four requests, each answered (a refused one fails its ask): what went back was what each API needs
    expect(server.requests.length - before).toBe(4);
    lastInput?.(server.requests[server.requests.length - 1].body as Record<string, any>);
  });

  test('anthropic: the assistant turn goes back with its thinking blocks first, signatures intact; without them the API refuses', async () => {
    const options = { baseURL: mockBaseURL(server, 'anthropic'), apiKey: 'k', model: 'claude-sonnet-4-6', tools: TOOLS, thinking: { budgetTokens: 2048 }, maxTokens: 8192 };
    const messages: ChatMessage[] = [{ role: 'user', content: 'Use the get_weather tool for Oslo.' }];
    const called = await lastValueFrom(streamChat$('anthropic', messages, options).pipe(toResponse()));
    const turn = toAssistantMessage(called);
    expect(turn.thinkingBlocks?.length).toBeGreaterThan(0);
    expect(turn.thinkingBlocks!.every((b) => (b.type === 'thinking' ? b.signature.length > 0 : b.type === 'redacted_thinking' && b.data.length > 0))).toBe(true);
    const result: ChatMessage = { role: 'tool', toolCallId: called.toolCalls[0].id, content: '{"celsius":-3}' };
    const before = server.requests.length;
    await lastValueFrom(streamChat$('anthropic', [...messages, turn, result], options).pipe(toResponse()));
    const sent = (server.requests[before].body as { messages: Array<{ role: string; content: Array<{ type: string }> }> }).messages[1];
    expect(sent.content.map((b) => b.type)).toEqual([...turn.thinkingBlocks!.map((b) => b.type), 'tool_use']);
    const { thinkingBlocks: _dropped, ...without } = turn;
    await expect(lastValueFrom(streamChat$('anthropic', [...messages, without, result], options))).rejects.toThrow(/must start with a thinking block/);
  });

  test('gemini 3: each call goes back with its thought signature on its own part; without it the API refuses', async () => {
    const options = { baseURL: mockBaseURL(server, 'gemini'), apiKey: 'k', model: 'gemini-3-pro-preview', tools: TOOLS };
    const messages: ChatMessage[] = [{ role: 'user', content: 'Use the get_weather tool for Oslo.' }];
    const called = await lastValueFrom(streamChat$('gemini', messages, options).pipe(toResponse()));
    const turn = toAssistantMessage(called);
    expect(turn.toolCalls?.[0].thoughtSignature).toBeTruthy();
    const result: ChatMessage = { role: 'tool', toolCallId: called.toolCalls[0].id, content: '{"celsius":-3}' };
    const before = server.requests.length;
    await lastValueFrom(streamChat$('gemini', [...messages, turn, result], options).pipe(toResponse()));
    const model = (server.requests[before].body as { contents: Array<{ role: string; parts: Array<Record<string, unknown>> }> }).contents[1];
    expect(model.parts.find((p) => p.functionCall)?.thoughtSignature).toBe(turn.toolCalls![0].thoughtSignature);
    const unsigned = { ...turn, toolCalls: turn.toolCalls!.map(({ thoughtSignature: _s, ...call }) => call) };
    await expect(lastValueFrom(streamChat$('gemini', [...messages, unsigned, result], options))).rejects.toThrow(/missing a thought_signature/);
  });
});
