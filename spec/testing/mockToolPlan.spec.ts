import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toAssistantMessage, toResponse, type ChatMessage, type ChatResponse, type ProviderId, type ToolDefinition } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { answerFor, hashText, reportOf, stepsDone, toolPlanOf, type MockMessage, type MockTool } from '../../testing/mockModel';

const city = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
const TOOLS = [
  { name: 'get_weather', description: 'The weather in a city', parameters: city },
  { name: 'get_time', description: 'The local time in a city', parameters: city },
  { name: 'get_forecast', description: 'The forecast for a city', parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: 'integer' } }, required: ['city', 'days'] } },
] satisfies ToolDefinition[];

/** What each tool answers: real content — JSON with an escaped line break, an emoji and CJK, and plain text over two lines. */
const RESULTS: Record<string, string> = {
  get_weather: '{"city":"Oslo","sky":"snow ❄","note":"gusts\\nup to 20 m/s"}',
  get_time: '東京は 17:05 🕔\n(UTC+9)',
  get_forecast: '{"city":"Oslo","days":[{"day":"月","sky":"☀"},{"day":"火","sky":"🌧"}]}',
};

/** The mock's 400 for a call left unanswered, as each API words it: `second` is the unanswered call's id. */
type Refusal = (second: string) => unknown;

/** OpenAI's 400 for `[user, assistant with two calls, one tool message]`: the message where the second result was due. */
const chatCompletionsRefusal = (second: string) => ({
  error: {
    message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${second}`,
    type: 'invalid_request_error',
    param: 'messages.[3].role',
    code: null,
  },
});

interface Case {
  id: ProviderId;
  label?: string;
  extra?: object;
  /** the 400 body of the API; none for a server that does not check (LM Studio, Ollama) */
  refusal?: Refusal;
}

/**
 * Every provider that takes tools, as a user runs it (Perplexity's API takes none): Anthropic with
 * thinking on, so its thinking blocks go back too, Gemini 3, whose calls go back signed.
 */
const CASES: Case[] = [
  { id: 'openai', refusal: (second) => chatCompletionsRefusal(second) },
  // Azure passes OpenAI's validation on as it is
  { id: 'azure', refusal: (second) => chatCompletionsRefusal(second) },
  {
    id: 'openai-responses',
    refusal: (second) => ({ error: { message: `No tool output found for function call ${second}.`, type: 'invalid_request_error', param: 'input', code: null } }),
  },
  {
    id: 'anthropic',
    extra: { model: 'claude-sonnet-4-6', thinking: { budgetTokens: 2048 }, maxTokens: 8192 },
    refusal: (second) => ({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: `messages.1: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${second}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
      },
    }),
  },
  {
    id: 'gemini',
    extra: { model: 'gemini-3-pro-preview' },
    refusal: () => ({
      error: { code: 400, message: 'Please ensure that the number of function response parts is equal to the number of function call parts of the function call turn.', status: 'INVALID_ARGUMENT' },
    }),
  },
  {
    id: 'mistral',
    refusal: () => ({ object: 'error', message: 'Not the same number of function calls and responses', type: 'invalid_request_error', param: null, code: null }),
  },
  { id: 'lmstudio' },
  { id: 'lmstudio', label: 'lmstudio (native REST v0)', extra: { native: 'v0' } },
  { id: 'ollama', extra: { model: 'llama3.2' } },
];

/**
 * A tool's result as the mock model reads it back: Gemini takes a function's response as an object,
 * so rxllm sends a result that is no JSON object as `{ content: text }`.
 */
const asRead = (id: ProviderId, result: string) => (id === 'gemini' && !result.startsWith('{') ? JSON.stringify({ content: result }) : result);

describe('the mock model: a prompt\'s tool plan', () => {
  const tools: MockTool[] = [
    { name: 'get_time', parameters: { properties: { city: { type: 'string' } } } },
    { name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } },
    { name: 'get_forecast', parameters: { properties: { city: { type: 'string' }, days: { type: 'integer' } } } },
  ];
  const names = (plan: MockTool[][]) => plan.map((step) => step.map((tool) => tool.name));

  test('steps at each "then" (any case, a whole word), each the tools named in it in the order of their first mention', () => {
    expect(names(toolPlanOf('Use get_weather and get_time for Oslo, then get_forecast', tools))).toEqual([['get_weather', 'get_time'], ['get_forecast']]);
    expect(names(toolPlanOf('GET_FORECAST first, THEN Get_Time and get_weather, then get_time again', tools))).toEqual([['get_forecast'], ['get_time', 'get_weather'], ['get_time']]);
    // "Athens" holds no word "then"; a piece that names no tool is no step
    expect(names(toolPlanOf('Use get_weather for Athens, then think, then get_time', tools))).toEqual([['get_weather'], ['get_time']]);
  });

  test('no tool named: one call of the first tool when the prompt asks to use a tool, else none', () => {
    expect(names(toolPlanOf('Please call a tool, then answer.', tools))).toEqual([['get_time']]);
    expect(toolPlanOf('Why stream, then?', tools)).toEqual([]);
    expect(toolPlanOf('Use get_weather', [])).toEqual([]);
  });

  test('steps done: the runs of tool results after the last user message', () => {
    const turn = (role: string): MockMessage => ({ role, content: role });
    expect(stepsDone([turn('user'), turn('assistant'), turn('tool'), turn('tool'), turn('assistant'), turn('tool')])).toBe(2);
    expect(stepsDone([turn('user'), turn('assistant'), turn('tool'), turn('user'), turn('assistant'), turn('tool')])).toBe(1);
    expect(stepsDone([turn('user')])).toBe(0);
  });

  test('a prompt naming one tool: one call with the id it always had; ids stay unique over the steps, the same tool twice included', () => {
    const prompt = 'Use the get_weather tool: what is the weather in Oslo?';
    expect(answerFor([{ role: 'user', content: prompt }], { tools }).toolCalls).toEqual([
      { id: `call_${hashText(prompt + 'get_weather').toString(36)}`, name: 'get_weather', arguments: '{"city":"Oslo"}' },
    ]);
    const twice = 'Use get_weather and get_time for Oslo, then get_weather again';
    const messages: MockMessage[] = [{ role: 'user', content: twice }];
    const first = answerFor(messages, { tools }).toolCalls;
    messages.push({ role: 'assistant', content: '' }, ...first.map(() => ({ role: 'tool', content: 'ok' })));
    const second = answerFor(messages, { tools }).toolCalls;
    expect([...first, ...second].map((call) => call.name)).toEqual(['get_weather', 'get_time', 'get_weather']);
    expect(first[0].id).toBe(`call_${hashText(twice + 'get_weather').toString(36)}`);
    expect(new Set([...first, ...second].map((call) => call.id)).size).toBe(3);
  });

  test('once the plan is answered: the structured answer when one is asked for, else the report', () => {
    const messages: MockMessage[] = [
      { role: 'user', content: 'Use get_weather and get_time for Oslo.' },
      { role: 'assistant', content: '' },
      { role: 'tool', content: '{"sky":"☀"}' },
      { role: 'tool', content: '17:05' },
    ];
    expect(answerFor(messages, { tools }).text).toBe('The tools answered: {"sky":"☀"} | 17:05');
    expect(answerFor(messages, { tools, structured: () => '{"ok":true}' }).text).toBe('{"ok":true}');
    expect(reportOf([{ role: 'tool', content: 'line 1\nline 2 🌧' }])).toBe('The tool answered: line 1\nline 2 🌧');
  });
});

describe('mock server: tool plans — several calls in one answer, steps at each "then", and the refusal of an unanswered call', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const ask = (id: ProviderId, extra: object | undefined, messages: ChatMessage[]): Promise<ChatResponse> =>
    lastValueFrom(streamChat$(id, messages, { baseURL: mockBaseURL(server, id), apiKey: 'k-plan', tools: TOOLS, ...extra }).pipe(toResponse()));
  /** the conversation after an answer of calls: the assistant turn, then a result for each call (or for those `answer` keeps) */
  const answered = (messages: ChatMessage[], called: ChatResponse, answer = called.toolCalls): ChatMessage[] => [
    ...messages,
    toAssistantMessage(called),
    ...answer.map((call): ChatMessage => ({ role: 'tool', toolCallId: call.id, content: RESULTS[call.name] })),
  ];
  const calls = (response: ChatResponse) => response.toolCalls.map(({ name, arguments: args }) => ({ name, arguments: args }));

  describe.each(CASES.map((c) => ({ ...c, label: c.label ?? c.id })))('$label', ({ id, extra, refusal }) => {
    test('a prompt naming two tools: both calls in one answer, distinct ids, arguments from the prompt; both results reported', async () => {
      const messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather and get_time for Oslo.' }];
      const called = await ask(id, extra, messages);
      expect(called.finishReason).toBe('tool_calls');
      expect(calls(called)).toEqual([
        { name: 'get_weather', arguments: { city: 'Oslo' } },
        { name: 'get_time', arguments: { city: 'Oslo' } },
      ]);
      expect(called.toolCalls.map((call) => call.index)).toEqual([0, 1]);
      expect(new Set(called.toolCalls.map((call) => call.id)).size).toBe(2);

      const report = await ask(id, extra, answered(messages, called));
      expect(report.finishReason).toBe('stop');
      expect(report.toolCalls).toEqual([]);
      expect(report.content).toBe(`The tools answered: ${asRead(id, RESULTS.get_weather)} | ${asRead(id, RESULTS.get_time)}`);
    });

    test('"A, then B": B after A\'s result, with an id of its own, and the report after B\'s', async () => {
      let messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather for Oslo, then get_forecast for 3 days.' }];
      const first = await ask(id, extra, messages);
      expect(calls(first)).toEqual([{ name: 'get_weather', arguments: { city: 'Oslo' } }]);

      messages = answered(messages, first);
      const second = await ask(id, extra, messages);
      expect(second.finishReason).toBe('tool_calls');
      expect(calls(second)).toEqual([{ name: 'get_forecast', arguments: { city: 'Oslo', days: 3 } }]);
      expect(second.toolCalls[0].id).not.toBe(first.toolCalls[0].id);

      messages = answered(messages, second);
      const report = await ask(id, extra, messages);
      expect(report.finishReason).toBe('stop');
      expect(report.content).toBe(`The tool answered: ${asRead(id, RESULTS.get_forecast)}`);
      expect(report.toolCalls).toEqual([]);
    });

    test('two parallel calls, then one: the second step after both results', async () => {
      let messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather and get_time for Oslo, then get_forecast for 2 days.' }];
      const first = await ask(id, extra, messages);
      expect(first.toolCalls.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
      messages = answered(messages, first);
      const second = await ask(id, extra, messages);
      expect(calls(second)).toEqual([{ name: 'get_forecast', arguments: { city: 'Oslo', days: 2 } }]);
      const report = await ask(id, extra, answered(messages, second));
      expect(report.content).toBe(`The tool answered: ${asRead(id, RESULTS.get_forecast)}`);
    });

    if (refusal) {
      test('one of two calls left unanswered: refused with the API\'s status and words', async () => {
        const messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather and get_time for Oslo.' }];
        const called = await ask(id, extra, messages);
        const [, second] = called.toolCalls;
        const error = await ask(id, extra, answered(messages, called, called.toolCalls.slice(0, 1))).then(
          () => undefined,
          (e: unknown) => e as { name: string; status: number; body: unknown },
        );
        expect(error).toMatchObject({ name: 'HttpError', status: 400, body: refusal(second.id) });
      });
    } else {
      test('one of two calls left unanswered: taken, as the local server takes it, and the one result reported', async () => {
        const messages: ChatMessage[] = [{ role: 'user', content: 'Use get_weather and get_time for Oslo.' }];
        const called = await ask(id, extra, messages);
        const report = await ask(id, extra, answered(messages, called, called.toolCalls.slice(0, 1)));
        expect(report.content).toBe(`The tool answered: ${RESULTS.get_weather}`);
      });
    }
  });

  describe('two calls in one streamed answer, as the official SDKs read them', () => {
    const prompt = 'Use get_weather and get_time for Oslo.';
    const functions = TOOLS.slice(0, 2);
    const twoCalls = [
      { name: 'get_weather', arguments: { city: 'Oslo' } },
      { name: 'get_time', arguments: { city: 'Oslo' } },
    ];

    test('openai: chat.completions.stream and responses.stream', async () => {
      const openai = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-plan', maxRetries: 0 });
      const chat = await openai.chat.completions
        .stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: prompt }], tools: functions.map((f) => ({ type: 'function' as const, function: { name: f.name, parameters: f.parameters } })) })
        .finalChatCompletion();
      const chatCalls = chat.choices[0].message.tool_calls!.filter((c) => c.type === 'function');
      expect(chatCalls.map((c) => ({ name: c.function.name, arguments: JSON.parse(c.function.arguments) }))).toEqual(twoCalls);
      expect(new Set(chatCalls.map((c) => c.id)).size).toBe(2);

      const response = await openai.responses
        .stream({ model: 'gpt-5-mini', input: prompt, tools: functions.map((f) => ({ type: 'function' as const, name: f.name, parameters: f.parameters ?? null, strict: false })) })
        .finalResponse();
      const items = response.output.filter((item) => item.type === 'function_call');
      expect(items.map((item) => ({ name: item.name, arguments: JSON.parse(item.arguments) }))).toEqual(twoCalls);
      expect(new Set(items.map((item) => item.call_id)).size).toBe(2);
    });

    test('anthropic: messages.stream', async () => {
      const tools = functions.map((f) => ({ name: f.name, input_schema: f.parameters as Anthropic.Tool.InputSchema }));
      const message = await new Anthropic({ apiKey: 'sk-ant-plan', baseURL: server.url, maxRetries: 0 }).messages
        .stream({ model: 'claude-sonnet-4-6', max_tokens: 1024, tools, messages: [{ role: 'user', content: prompt }] })
        .finalMessage();
      const uses = message.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
      expect(uses.map((b) => ({ name: b.name, arguments: b.input }))).toEqual(twoCalls);
      expect(new Set(uses.map((b) => b.id)).size).toBe(2);
      expect(message.stop_reason).toBe('tool_use');
    });

    test('gemini 3: generateContentStream — both calls, the first one signed', async () => {
      // `fetch` given explicitly: Jest's sandboxed global lacks the Undici dispatcher the SDK looks for
      const sdk = new GoogleGenAI({ apiKey: 'AIza-mock-key-000', httpOptions: { baseUrl: server.url, fetch: (input, init) => fetch(input, init) } });
      const parts: Array<{ functionCall?: { name?: string; args?: unknown }; thoughtSignature?: string }> = [];
      const stream = await sdk.models.generateContentStream({
        model: 'gemini-3-pro-preview',
        contents: prompt,
        config: { tools: [{ functionDeclarations: functions.map((f) => ({ name: f.name, parametersJsonSchema: f.parameters })) }] },
      });
      for await (const chunk of stream) parts.push(...(chunk.candidates?.[0]?.content?.parts ?? []));
      const calls = parts.filter((p) => p.functionCall);
      expect(calls.map((p) => ({ name: p.functionCall!.name, arguments: p.functionCall!.args }))).toEqual(twoCalls);
      expect(calls.map((p) => typeof p.thoughtSignature)).toEqual(['string', 'undefined']);
    });
  });

  describe('through the official SDKs, what the library never sends', () => {
    const weather = { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } };
    const anthropic = () => new Anthropic({ apiKey: 'sk-ant-plan', baseURL: server.url, maxRetries: 0 });
    /** the SDK's first answer to `prompt` and the conversation up to it */
    const anthropicCalls = async (prompt: string) => {
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: prompt }];
      const first = await anthropic().messages.create({ model: 'claude-sonnet-4-6', max_tokens: 1024, tools: [weather], messages });
      return { messages: [...messages, { role: 'assistant' as const, content: first.content }], uses: first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use') };
    };

    test('Anthropic: a tool_result with is_error: true answers its call, its content read as the result', async () => {
      const { messages, uses } = await anthropicCalls('Use get_weather for Oslo.');
      const failed = 'Weather service down: 503 ⚠\n(retry in 30 s)';
      const answer = await anthropic().messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        tools: [weather],
        messages: [...messages, { role: 'user', content: [{ type: 'tool_result', tool_use_id: uses[0].id, is_error: true, content: [{ type: 'text', text: failed }] }] }],
      });
      expect(answer.content).toEqual([{ type: 'text', text: `The tool answered: ${failed}` }]);
    });

    test("Anthropic: a tool_result for no tool_use of the turn before is refused with the API's words", async () => {
      const { messages, uses } = await anthropicCalls('Use get_weather for Oslo.');
      const request = anthropic().messages.create({
        model: 'claude-sonnet-4-6',
        max_tokens: 1024,
        tools: [weather],
        messages: [
          ...messages,
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: uses[0].id, content: 'Sunny' },
              { type: 'tool_result', tool_use_id: 'toolu_elsewhere', content: 'Rain' },
            ],
          },
        ],
      });
      await expect(request).rejects.toMatchObject({
        status: 400,
        error: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            message: 'messages.2.content.1: unexpected `tool_use_id` found in `tool_result` blocks: toolu_elsewhere. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.',
          },
        },
      });
    });

    test("OpenAI: a tool message that answers no call, or another call than those before it, is refused with the API's words", async () => {
      const openai = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-plan', maxRetries: 0 });
      const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: city } }];
      const user = { role: 'user' as const, content: 'Use get_weather for Oslo.' };
      const first = await openai.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [user] });
      const turn = first.choices[0].message;
      const orphan = openai.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [user, { role: 'tool', tool_call_id: 'call_nowhere', content: 'Sunny' }] });
      await expect(orphan).rejects.toMatchObject({
        status: 400,
        error: { message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", type: 'invalid_request_error', param: 'messages.[1].role', code: null },
      });
      const stranger = openai.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [user, turn, { role: 'tool', tool_call_id: 'call_nowhere', content: 'Sunny' }] });
      await expect(stranger).rejects.toMatchObject({
        status: 400,
        error: { message: "Invalid parameter: 'tool_call_id' of 'call_nowhere' not found in 'tool_calls' of previous message.", type: 'invalid_request_error' },
      });
      const answered = await openai.chat.completions.create({ model: 'gpt-4o-mini', tools, messages: [user, turn, { role: 'tool', tool_call_id: turn.tool_calls![0].id, content: 'Sunny' }] });
      expect(answered.choices[0].message.content).toBe('The tool answered: Sunny');
    });
  });
});
