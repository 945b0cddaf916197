import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toAssistantMessage, toResponse, type ChatMessage, type ThinkingBlock } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { RESPONSES_WEATHER } from '../support/responsesWeatherTool';

const WEATHER = RESPONSES_WEATHER;
const SQL = { type: 'custom' as const, name: 'run_sql', description: 'Runs one SQL statement' };

/**
 * The mock Responses API's reasoning items and custom tools: the `openai` package and rxllm read the
 * same items, and each sends its own reading back as the next turn, which the mock takes only on
 * the API's terms (a reasoning item right before the item that followed it, `encrypted_content` when
 * nothing is stored, a custom tool's result as `custom_tool_call_output`).
 */
describe('mock Responses API: reasoning items and custom tool calls, read and sent back by the openai package and by rxllm', () => {
  let server: MockServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startMockServer();
    client = new OpenAI({ baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock', maxRetries: 0 });
  });
  afterAll(() => server.close());

  const prompt = 'Use the get_weather tool for Lyon.';
  const options = (extraBody: Record<string, unknown>) => ({
    baseURL: mockBaseURL(server, 'openai-responses'),
    apiKey: 'sk-mock',
    model: 'gpt-5-mini',
    tools: [{ name: WEATHER.name, description: WEATHER.description, parameters: WEATHER.parameters }],
    extraBody: { reasoning: { effort: 'low', summary: 'auto' }, ...extraBody },
  });
  /** the last request's `input` items as sent, each reduced to its kind and ids */
  const sentItems = () => (server.requests[server.requests.length - 1].body as { input: Array<Record<string, unknown>> }).input.map(({ type, id, call_id }) => ({ type, id, call_id }));

  test.each<[string, { store: boolean; include?: OpenAI.Responses.ResponseIncludable[] }]>([
    ['stored', { store: true }],
    ['not stored, reasoning sealed in encrypted_content', { store: false, include: ['reasoning.encrypted_content'] }],
  ])('%s: the same reasoning items and call ids by both; each one’s own next turn is answered, with the same items in the same order', async (_, settings) => {
    const final = await client.responses.stream({ model: 'gpt-5-mini', input: prompt, tools: [WEATHER], reasoning: { effort: 'low', summary: 'auto' }, ...settings }).finalResponse();
    const ours = await lastValueFrom(streamChat$('openai-responses', [{ role: 'user', content: prompt }], options(settings)).pipe(toResponse()));

    // the SDK's output items, written out in rxllm's shape here, independently of the decoder
    const sdkReasoning = final.output.flatMap((item, i): ThinkingBlock[] => {
      if (item.type !== 'reasoning') return [];
      const block: ThinkingBlock = { type: 'reasoning', id: item.id, summary: item.summary.map((part) => part.text), followedBy: final.output[i + 1]!.id! };
      if (item.encrypted_content) block.encryptedContent = item.encrypted_content;
      return [block];
    });
    const sdkCall = final.output.find((item) => item.type === 'function_call')!;
    expect(sdkReasoning).toHaveLength(1);
    expect(Boolean(sdkReasoning[0].type === 'reasoning' && sdkReasoning[0].encryptedContent)).toBe(settings.store === false);
    expect(ours.metadata.thinkingBlocks).toEqual(sdkReasoning);
    expect(ours.toolCalls.map(({ id, name, argumentsText, itemId }) => ({ id, name, argumentsText, itemId }))).toEqual([
      { id: sdkCall.call_id, name: sdkCall.name, argumentsText: sdkCall.arguments, itemId: sdkCall.id },
    ]);

    // the SDK's next turn: its own output items, then the tool's result
    const result = '{"city":"Lyon","sky":"clear ☀"}';
    const sdkNext = await client.responses
      .stream({ model: 'gpt-5-mini', tools: [WEATHER], reasoning: { effort: 'low', summary: 'auto' }, ...settings, input: [{ role: 'user', content: prompt }, ...(final.output as OpenAI.Responses.ResponseInputItem[]), { type: 'function_call_output', call_id: sdkCall.call_id, output: result }] })
      .finalResponse();
    const sdkSent = sentItems();
    // rxllm's: toAssistantMessage and the result
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }, toAssistantMessage(ours), { role: 'tool', toolCallId: ours.toolCalls[0].id, content: result }];
    const ourNext = await lastValueFrom(streamChat$('openai-responses', messages, options(settings)).pipe(toResponse()));
    expect(sentItems()).toEqual(sdkSent);
    expect(ourNext.content).toBe(sdkNext.output_text);
    expect(ourNext.content).toContain('The tool answered: {"city":"Lyon"');
  });

  describe("refuses reasoning items it cannot take back, with the API's status and words", () => {
    /** a first answer with reasoning, over the raw API: its output items */
    const firstOutput = async (settings: object = {}) =>
      (await client.responses.create({ model: 'gpt-5-mini', input: prompt, tools: [WEATHER], reasoning: { summary: 'auto' }, ...settings })).output as Array<Record<string, any>>;
    const refusal = async (input: unknown[], settings: object = {}) => {
      const response = await fetch(`${mockBaseURL(server, 'openai-responses')}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-5-mini', tools: [WEATHER], ...settings, input: [{ role: 'user', content: prompt }, ...input] }),
      });
      return { status: response.status, error: ((await response.json()) as { error: { message: string; param: string | null } }).error };
    };

    test('a function call sent with its id but without the reasoning item before it', async () => {
      const [reasoning, call] = await firstOutput();
      const answer = { type: 'function_call_output', call_id: call.call_id, output: '21' };
      expect(await refusal([call, answer])).toMatchObject({ status: 400, error: { message: `Item '${call.id}' of type 'function_call' was provided without its required 'reasoning' item: '${reasoning.id}'.`, param: 'input' } });
      // without its id the call is a new item: nothing pairs with it, and it is taken
      const { id: _id, ...anonymous } = call;
      expect((await refusal([anonymous, answer])).status).toBe(200);
    });

    test('a reasoning item not directly followed by the item that followed it', async () => {
      const [reasoning, call] = await firstOutput();
      const { id: _id, ...anonymous } = call;
      const input = [reasoning, anonymous, { type: 'function_call_output', call_id: call.call_id, output: '21' }];
      expect(await refusal(input)).toMatchObject({ status: 400, error: { message: `Item '${reasoning.id}' of type 'reasoning' was provided without its required following item.` } });
    });

    test('a reasoning item without its summary list', async () => {
      const [{ summary: _summary, ...reasoning }, call] = await firstOutput();
      expect(await refusal([reasoning, call])).toMatchObject({ status: 400, error: { message: "Missing required parameter: 'input[1].summary'.", param: 'input[1].summary' } });
    });

    test('store: false — a reasoning item without encrypted_content is not found; one with content the API did not give is refused', async () => {
      const [reasoning, call] = await firstOutput({ store: false, include: ['reasoning.encrypted_content'] });
      const { encrypted_content: sealed, ...unsealed } = reasoning;
      const answer = { type: 'function_call_output', call_id: call.call_id, output: '21' };
      expect(await refusal([unsealed, call, answer], { store: false })).toMatchObject({ status: 404, error: { message: expect.stringContaining(`Item with id '${reasoning.id}' not found. Items are not persisted when \`store\` is set to false.`) } });
      expect(await refusal([{ ...reasoning, encrypted_content: `${sealed}x` }, call, answer], { store: false })).toMatchObject({ status: 400 });
      expect((await refusal([reasoning, call, answer], { store: false })).status).toBe(200);
    });
  });

  test("a custom tool's call: the same name and free-text input by both; its result goes back as custom_tool_call_output and is answered", async () => {
    // the mock model's input to a custom tool is the prompt: indented SQL with a blank line, CJK and an emoji
    const sql = 'Use run_sql:\n\nSELECT name\n  FROM cities\n  WHERE name = \'東京\' -- 🗼';
    const final = await client.responses.stream({ model: 'gpt-5-mini', input: sql, tools: [SQL] }).finalResponse();
    const sdkCall = final.output.find((item) => item.type === 'custom_tool_call')!;
    const messages: ChatMessage[] = [{ role: 'user', content: sql }];
    const ours = await lastValueFrom(
      streamChat$('openai-responses', messages, { baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock', model: 'gpt-5-mini', extraBody: { tools: [SQL] } }).pipe(toResponse()),
    );
    expect(sdkCall).toMatchObject({ name: 'run_sql', input: sql });
    expect(ours.toolCalls).toEqual([{ index: 0, id: sdkCall.call_id, name: 'run_sql', arguments: sql, argumentsText: sql, custom: true, itemId: sdkCall.id }]);
    expect(ours.finishReason).toBe('tool_calls');

    messages.push(toAssistantMessage(ours), { role: 'tool', toolCallId: ours.toolCalls[0].id, content: '1 row' });
    const next = await lastValueFrom(streamChat$('openai-responses', messages, { baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock', model: 'gpt-5-mini', extraBody: { tools: [SQL] } }).pipe(toResponse()));
    expect(sentItems().slice(1).map(({ type }) => type)).toEqual(['custom_tool_call', 'custom_tool_call_output']);
    expect(next.content).toBe('The tool answered: 1 row');
    // the API refuses a custom tool's result sent as a function's
    const wrong = await fetch(`${mockBaseURL(server, 'openai-responses')}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5-mini', tools: [SQL], input: [{ role: 'user', content: sql }, { type: 'custom_tool_call', call_id: sdkCall.call_id, name: 'run_sql', input: sql }, { type: 'function_call_output', call_id: sdkCall.call_id, output: '1 row' }] }),
    });
    expect(wrong.status).toBe(400);
  });
});
