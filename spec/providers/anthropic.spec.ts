import {
  createResponseAccumulator,
  isConfigError,
  isParseError,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatMessage,
  type Chunk,
  type ResolvedOptions,
} from '../../lib';
import { anthropic, type AnthropicOptions } from '../../providers/anthropic';
import { ANTHROPIC_MAX_PAUSE_CONTINUATIONS } from '../../providers/anthropic/continueAnthropicFrom';
import { mapAnthropicStopReason } from '../../providers/anthropic/mapAnthropicStopReason';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const resolved = (extra: Partial<ResolvedOptions<AnthropicOptions>> = {}): ResolvedOptions<AnthropicOptions> => ({
  model: anthropic.defaultModel,
  baseURL: anthropic.defaultBaseURL,
  apiKey: 'sk-ant-unit-key-0001',
  ...extra,
});
const bodyOf = (messages: ChatMessage[], extra: Partial<ResolvedOptions<AnthropicOptions>> = {}) =>
  anthropic.buildRequest(messages, resolved(extra)).body as Record<string, any>;
const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
};

describe('anthropic: building the request', () => {
  test('POSTs to {baseURL}/messages with the documented defaults', () => {
    const request = anthropic.buildRequest([{ role: 'user', content: 'Hi' }], resolved({ baseURL: 'http://proxy.local/v1/' }));
    expect(request.url).toBe('http://proxy.local/v1/messages');
    expect(request.method).toBe('POST');
    expect(request.body).toEqual({ model: 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }], stream: true });
    expect(anthropic.defaultBaseURL).toBe('https://api.anthropic.com/v1');
  });

  test('system messages go to the top-level system field, joined, and not into messages', () => {
    const body = bodyOf([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'system', content: 'Answer in English.' },
    ]);
    expect(body.system).toBe('Be brief.\n\nAnswer in English.');
    expect(body.messages).toEqual([{ role: 'user', content: 'Hi' }]);
  });

  test('maxTokens, temperature and tools map to max_tokens, temperature and {name, description, input_schema}', () => {
    const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
    const body = bodyOf([{ role: 'user', content: 'Hi' }], {
      maxTokens: 300,
      temperature: 0.2,
      tools: [{ name: 'get_weather', description: 'Weather for a city', parameters }, { name: 'now' }],
    });
    expect(body.max_tokens).toBe(300);
    expect(body.temperature).toBe(0.2);
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather for a city', input_schema: parameters },
      { name: 'now', input_schema: { type: 'object', properties: {} } },
    ]);
  });

  test("an assistant turn's thinking blocks go first, unchanged and in order, before its text and tool_use blocks", () => {
    const thinkingBlocks = [
      { type: 'thinking' as const, thinking: 'Oslo:\n  - use get_weather\n  - 🌧️ likely', signature: 'EuYBCkQYAiJA==' },
      { type: 'redacted_thinking' as const, data: 'EmwKAhgBEgy3va3pzix==' },
    ];
    const body = bodyOf(
      [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: 'Checking.', thinkingBlocks, toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'toolu_1', content: 'Rain, 9°C' },
        // nothing after them: an assistant turn cannot end with thinking, so none are sent
        { role: 'assistant', content: null, thinkingBlocks },
        { role: 'user', content: 'Thanks' },
      ],
      { thinking: { budgetTokens: 2048 } },
    );
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Oslo?' },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Oslo:\n  - use get_weather\n  - 🌧️ likely', signature: 'EuYBCkQYAiJA==' },
          { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix==' },
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Rain, 9°C' }] },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  test('assistant toolCalls become tool_use blocks; consecutive tool results share one user turn of tool_result blocks', () => {
    const body = bodyOf([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: 'Checking both.',
        toolCalls: [
          { id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
          { id: 'toolu_2', name: 'get_weather', arguments: { city: 'Rome' } },
        ],
      },
      { role: 'tool', toolCallId: 'toolu_1', content: '18°C' },
      { role: 'tool', toolCallId: 'toolu_2', content: '24°C' },
      { role: 'assistant', content: 'Paris 18°C, Rome 24°C.' },
      { role: 'user', content: 'And now?' },
      { role: 'assistant', content: null, toolCalls: [{ id: 'toolu_3', name: 'now', arguments: '' }] },
      { role: 'tool', toolCallId: 'toolu_3', content: 'noon' },
    ]);
    expect(body.messages).toEqual([
      { role: 'user', content: 'Weather in Paris and Rome?' },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking both.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '24°C' },
        ],
      },
      { role: 'assistant', content: 'Paris 18°C, Rome 24°C.' },
      { role: 'user', content: 'And now?' },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_3', name: 'now', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_3', content: 'noon' }] },
    ]);
  });

  test('a tool message without toolCallId, or tool arguments that are not a JSON object, is a ConfigError naming the path', () => {
    const noId = thrown(() => bodyOf([{ role: 'tool', content: 'x' }]));
    expect(isConfigError(noId)).toBe(true);
    expect((noId as Error).message).toContain('messages.0.toolCallId');
    const badArgs = thrown(() => bodyOf([{ role: 'assistant', content: null, toolCalls: [{ id: 't', name: 'f', arguments: '{"city":' }] }]));
    expect(isConfigError(badArgs)).toBe(true);
    expect((badArgs as Error).message).toContain('messages.0.toolCalls.0.arguments');
    const array = thrown(() => bodyOf([{ role: 'assistant', content: null, toolCalls: [{ id: 't', name: 'f', arguments: [1, 2] }] }]));
    expect(isConfigError(array)).toBe(true);
  });

  test('thinking: { budgetTokens } → thinking: { type: "enabled", budget_tokens }, with max_tokens left room', () => {
    expect(bodyOf([{ role: 'user', content: 'Hi' }], { thinking: { budgetTokens: 2048 } })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 2048 },
      max_tokens: 4096,
    });
    // the default max_tokens would not fit the budget: it is raised
    expect(bodyOf([{ role: 'user', content: 'Hi' }], { thinking: { budgetTokens: 8000 } })).toMatchObject({
      thinking: { type: 'enabled', budget_tokens: 8000 },
      max_tokens: 8000 + 4096,
    });
    expect(bodyOf([{ role: 'user', content: 'Hi' }], { thinking: { budgetTokens: 1024 }, maxTokens: 2000 }).max_tokens).toBe(2000);
  });

  test('headers: the key in x-api-key (never Authorization), anthropic-version, accept: text/event-stream', () => {
    const { headers } = anthropic.buildRequest([{ role: 'user', content: 'Hi' }], resolved({ headers: { 'anthropic-beta': 'x-2025' } }));
    expect(headers).toEqual({
      'x-api-key': 'sk-ant-unit-key-0001',
      'anthropic-version': '2023-06-01',
      accept: 'text/event-stream',
      'anthropic-beta': 'x-2025',
    });
    const versioned = anthropic.buildRequest([{ role: 'user', content: 'Hi' }], resolved({ anthropicVersion: '2024-01-01' }));
    expect(versioned.headers['anthropic-version']).toBe('2024-01-01');
  });
});

describe('anthropic: over HTTP (replay server)', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const ok = Buffer.from(
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
      'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":0}}\n\n' +
      'event: message_stop\ndata: {"type":"message_stop"}\n\n',
  );

  test('the request on the wire: POST /v1/messages, the key in x-api-key, the body as built', async () => {
    server.respondWith({ body: ok });
    const key = 'sk-ant-wire-key-123456';
    const { error } = await collect(
      streamChat$('anthropic', [{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }], { baseURL: `${server.url}/v1`, apiKey: key, thinking: { budgetTokens: 1024 } }),
    );
    expect(error).toBeUndefined();
    const sent = server.received[server.received.length - 1];
    expect(sent.path).toBe('/v1/messages');
    expect(sent.headers['x-api-key']).toBe(key);
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.headers['anthropic-version']).toBe('2023-06-01');
    expect(sent.headers['content-type']).toBe('application/json');
    expect(JSON.parse(sent.body)).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      system: 'S',
      thinking: { type: 'enabled', budget_tokens: 1024 },
    });
  });

  test('the key comes from ANTHROPIC_API_KEY when apiKey is not given; none at all is a ConfigError naming it', async () => {
    const saved = process.env.ANTHROPIC_API_KEY;
    try {
      process.env.ANTHROPIC_API_KEY = 'sk-ant-from-env-7890';
      server.respondWith({ body: ok });
      await collect(streamChat$('anthropic', [{ role: 'user', content: 'Hi' }], { baseURL: `${server.url}/v1` }));
      expect(server.received[server.received.length - 1].headers['x-api-key']).toBe('sk-ant-from-env-7890');

      delete process.env.ANTHROPIC_API_KEY;
      const { error } = await collect(streamChat$('anthropic', [{ role: 'user', content: 'Hi' }]));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain('ANTHROPIC_API_KEY');
    } finally {
      if (saved === undefined) delete process.env.ANTHROPIC_API_KEY;
      else process.env.ANTHROPIC_API_KEY = saved;
    }
  });

  test.each([
    [{ thinking: { budgetTokens: 'lots' } }, 'thinking.budgetTokens'],
    [{ thinking: { budgetTokens: 512 } }, 'thinking.budgetTokens'],
    [{ thinking: { budgetTokens: 4096 }, maxTokens: 2048 }, 'thinking.budgetTokens'],
    [{ thinking: true }, 'thinking'],
    [{ anthropicVersion: '' }, 'anthropicVersion'],
    [{ thinkingBudget: 2048 }, 'thinkingBudget'],
  ])('a bad provider option %j is a ConfigError naming %s, and nothing is sent', async (options, path) => {
    const before = server.received.length;
    const { error } = await collect(
      streamChat$('anthropic', [{ role: 'user', content: 'Hi' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-ant-x', ...(options as object) }),
    );
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain(`${path}:`);
    expect(server.received.length).toBe(before);
  });
});

/** Runs the decoder on SSE events given as [event name, payload] pairs, then the end of the body. */
function decode(events: Array<[string, unknown]>, { end = true, request }: { end?: boolean; request?: HttpRequest } = {}) {
  const chunks: Chunk[] = [];
  const decoder = anthropic.createDecoder({ provider: 'anthropic', emit: (c) => chunks.push(c), request });
  let error: unknown;
  try {
    for (const [event, payload] of events) decoder.onEvent({ event, data: typeof payload === 'string' ? payload : JSON.stringify(payload) });
    if (end && !decoder.done) decoder.onEnd();
  } catch (e) {
    error = e;
  }
  const accumulator = createResponseAccumulator();
  chunks.forEach((c) => accumulator.add(c));
  return { chunks, error, response: accumulator.snapshot(), done: decoder.done };
}

const start = (usage: Record<string, unknown> = { input_tokens: 10, output_tokens: 1 }): [string, unknown] => [
  'message_start',
  { type: 'message_start', message: { id: 'msg_x', model: 'claude-x', content: [], usage } },
];
const blockStart = (index: number, content_block: Record<string, unknown>): [string, unknown] => ['content_block_start', { type: 'content_block_start', index, content_block }];
const delta = (index: number, d: Record<string, unknown>): [string, unknown] => ['content_block_delta', { type: 'content_block_delta', index, delta: d }];
const stop = (index: number): [string, unknown] => ['content_block_stop', { type: 'content_block_stop', index }];
const messageDelta = (stop_reason: string, usage: Record<string, unknown> = { output_tokens: 5 }, extra: Record<string, unknown> = {}): [string, unknown] => [
  'message_delta',
  { type: 'message_delta', delta: { stop_reason, stop_sequence: null, ...extra }, usage },
];
const messageStop: [string, unknown] = ['message_stop', { type: 'message_stop' }];

describe('anthropic: the decoder', () => {
  test('mapAnthropicStopReason maps every documented stop reason', () => {
    expect(
      ['end_turn', 'stop_sequence', 'max_tokens', 'tool_use', 'refusal', 'pause_turn', 'model_context_window_exceeded', 'something_new'].map(mapAnthropicStopReason),
    ).toEqual(['stop', 'stop', 'length', 'tool_calls', 'content_filter', 'other', 'length', 'other']);
  });

  test('message_start gives id, model and the input tokens; message_delta the final usage, merged with them', () => {
    const { chunks, response, error } = decode([
      start({ input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 100, output_tokens: 1 }),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Hi' }),
      stop(0),
      messageDelta('stop_sequence', { output_tokens: 7, output_tokens_details: { thinking_tokens: 3 } }, { stop_sequence: '###' }),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(chunks[0]).toMatchObject({ id: 'msg_x', model: 'claude-x', usage: { inputTokens: 115, cachedInputTokens: 100 } });
    expect(chunks[0].usage?.outputTokens).toBeUndefined();
    expect(response.usage).toEqual({ inputTokens: 115, cachedInputTokens: 100, outputTokens: 7, reasoningTokens: 3, totalTokens: 122 });
    expect(response.finishReason).toBe('stop');
    expect(response.metadata).toMatchObject({ rawFinishReason: 'stop_sequence', stopSequence: '###' });
    expect(response.content).toBe('Hi');
  });

  test('ping, unknown event types, unknown delta types and server tool blocks are ignored', () => {
    const { response, error, done } = decode([
      start(),
      ['ping', { type: 'ping' }],
      ['future_event', { type: 'future_event', whatever: [1, 2] }],
      blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: '{"query":"x"}' }),
      stop(0),
      blockStart(1, { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] }),
      stop(1),
      blockStart(2, { type: 'text', text: '' }),
      delta(2, { type: 'future_delta', stuff: 1 }),
      delta(2, { type: 'text_delta', text: 'ok' }),
      stop(2),
      messageDelta('end_turn'),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(done).toBe(true);
    expect(response.toolCalls).toEqual([]);
    expect(response.content).toBe('ok');
  });

  test('tool indexes count tool blocks (0, 1, …), not block indexes; a call without arguments assembles to {}', () => {
    const { response } = decode([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Let me look.' }),
      stop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_a', name: 'now', input: {} }),
      delta(1, { type: 'input_json_delta', partial_json: '' }),
      stop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: {} }),
      delta(2, { type: 'input_json_delta', partial_json: '{"city": ' }),
      delta(2, { type: 'input_json_delta', partial_json: '"Oslo"}' }),
      stop(2),
      blockStart(3, { type: 'tool_use', id: 'toolu_c', name: 'echo', input: { text: 'given whole' } }),
      stop(3),
      messageDelta('tool_use'),
      messageStop,
    ]);
    expect(response.toolCalls).toEqual([
      { index: 0, id: 'toolu_a', name: 'now', arguments: {}, argumentsText: '' },
      { index: 1, id: 'toolu_b', name: 'get_weather', arguments: { city: 'Oslo' }, argumentsText: '{"city": "Oslo"}' },
      { index: 2, id: 'toolu_c', name: 'echo', arguments: { text: 'given whole' }, argumentsText: '{"text":"given whole"}' },
    ]);
    expect(response.finishReason).toBe('tool_calls');
  });

  test('thinking deltas → reasoning, the signature → metadata.thinkingSignature, redacted thinking → metadata.redactedThinking', () => {
    const { response, chunks } = decode([
      start(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Hmm, ' }),
      delta(0, { type: 'thinking_delta', thinking: 'let me think.' }),
      delta(0, { type: 'thinking_delta', thinking: '' }),
      delta(0, { type: 'signature_delta', signature: 'SIG==' }),
      stop(0),
      blockStart(1, { type: 'redacted_thinking', data: 'OPAQUE1' }),
      stop(1),
      blockStart(2, { type: 'redacted_thinking', data: 'OPAQUE2' }),
      stop(2),
      blockStart(3, { type: 'text', text: '' }),
      delta(3, { type: 'text_delta', text: 'Answer.' }),
      stop(3),
      messageDelta('end_turn'),
      messageStop,
    ]);
    expect(response.reasoning).toBe('Hmm, let me think.');
    expect(response.content).toBe('Answer.');
    expect(response.metadata.thinkingSignature).toBe('SIG==');
    expect(response.metadata.redactedThinking).toEqual(['OPAQUE1', 'OPAQUE2']);
    // no chunk for the empty thinking delta
    expect(chunks.filter((c) => c.reasoning !== undefined).map((c) => c.reasoning)).toEqual(['Hmm, ', 'let me think.']);
  });

  test('every thinking and redacted thinking block, complete with its signature, in order → metadata.thinkingBlocks', () => {
    const { response, error } = decode([
      start(),
      blockStart(0, { type: 'thinking', thinking: '', signature: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Step 1:\n    x = 東京' }),
      delta(0, { type: 'thinking_delta', thinking: ' 🚀' }),
      delta(0, { type: 'thinking_delta', thinking: '' }),
      delta(0, { type: 'signature_delta', signature: 'SIG-A==' }),
      stop(0),
      blockStart(1, { type: 'redacted_thinking', data: 'OPAQUE1' }),
      stop(1),
      blockStart(2, { type: 'thinking', thinking: '', signature: '' }),
      // display "omitted": no thinking text, a signature all the same
      delta(2, { type: 'signature_delta', signature: 'SIG-B==' }),
      stop(2),
      blockStart(3, { type: 'tool_use', id: 'toolu_1', name: 'now', input: {} }),
      stop(3),
      messageDelta('tool_use'),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(response.metadata.thinkingBlocks).toEqual([
      { type: 'thinking', thinking: 'Step 1:\n    x = 東京 🚀', signature: 'SIG-A==' },
      { type: 'redacted_thinking', data: 'OPAQUE1' },
      { type: 'thinking', thinking: '', signature: 'SIG-B==' },
    ]);
    expect(response.reasoning).toBe('Step 1:\n    x = 東京 🚀');
  });

  test('citations_delta of every kind → Citation, all kept in order; documents by index and range, pages and blocks too', () => {
    // the shapes of @anthropic-ai/sdk 1.14's CitationCharLocation, CitationPageLocation,
    // CitationContentBlockLocation, CitationsWebSearchResultLocation and CitationsSearchResultLocation
    const char = { type: 'char_location', cited_text: '  const x = 1;\n  - 東京 🚀\n', document_index: 0, document_title: 'notes.md', start_char_index: 12, end_char_index: 40, file_id: null };
    const page = { type: 'page_location', cited_text: 'Gutenberg, c. 1440', document_index: 1, document_title: 'history.pdf', start_page_number: 3, end_page_number: 5, file_id: null };
    const block = { type: 'content_block_location', cited_text: 'First block. Second block.', document_index: 2, document_title: null, start_block_index: 0, end_block_index: 2, file_id: null };
    const web = { type: 'web_search_result_location', url: 'https://blog.rust-lang.org/', title: 'Rust Blog', cited_text: 'Rust 1.80.0 released', encrypted_index: 'x' };
    const search = { type: 'search_result_location', source: 'https://docs.example.com/a', title: 'Docs A', cited_text: 'A says so.', search_result_index: 0, start_block_index: 0, end_block_index: 1 };
    const { response, chunks } = decode([
      start(),
      blockStart(0, { type: 'text', text: '', citations: [] }),
      delta(0, { type: 'citations_delta', citation: char }),
      delta(0, { type: 'text_delta', text: 'The code sets x:\n\n    const x = 1;\n\n- 東京 🚀' }),
      stop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'citations_delta', citation: page }),
      delta(1, { type: 'citations_delta', citation: block }),
      delta(1, { type: 'citations_delta', citation: web }),
      delta(1, { type: 'citations_delta', citation: search }),
      // the same range of the same document again: one source
      delta(1, { type: 'citations_delta', citation: { ...char, cited_text: 'again' } }),
      delta(1, { type: 'citations_delta', citation: { type: 'some_future_location' } }),
      delta(1, { type: 'text_delta', text: ' Printing began around 1440.' }),
      stop(1),
      messageDelta('end_turn'),
      messageStop,
    ]);
    expect(response.content).toBe('The code sets x:\n\n    const x = 1;\n\n- 東京 🚀 Printing began around 1440.');
    expect(response.citations).toEqual([
      { documentIndex: 0, location: { kind: 'char', start: 12, end: 40 }, title: 'notes.md', snippet: '  const x = 1;\n  - 東京 🚀\n' },
      { documentIndex: 1, location: { kind: 'page', start: 3, end: 5 }, title: 'history.pdf', snippet: 'Gutenberg, c. 1440' },
      { documentIndex: 2, location: { kind: 'block', start: 0, end: 2 }, snippet: 'First block. Second block.' },
      { url: 'https://blog.rust-lang.org/', title: 'Rust Blog', snippet: 'Rust 1.80.0 released' },
      { url: 'https://docs.example.com/a', title: 'Docs A', snippet: 'A says so.' },
    ]);
    // every citation on a chunk of its own, none left in metadata
    expect(chunks.flatMap((c) => c.citations ?? [])).toHaveLength(6);
    expect(chunks.some((c) => c.metadata !== undefined && 'citation' in c.metadata)).toBe(false);
  });

  test('a second message_start of another message while one is open is a ParseError; nothing of the second is in the answer', () => {
    const second: [string, unknown] = ['message_start', { type: 'message_start', message: { id: 'msg_second', model: 'claude-x', content: [], usage: { input_tokens: 17, output_tokens: 1 } } }];
    const { error, response, chunks } = decode([
      start(),
      blockStart(0, { type: 'thinking', thinking: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'I will call the tool.' }),
      delta(0, { type: 'signature_delta', signature: 'sig-first' }),
      stop(0),
      second,
      blockStart(0, { type: 'thinking', thinking: '' }),
      delta(0, { type: 'thinking_delta', thinking: 'Let me call the tool.' }),
      delta(0, { type: 'signature_delta', signature: 'sig-second' }),
      stop(0),
      messageDelta('end_turn'),
      messageStop,
    ]);
    expect(isParseError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'framing', retryable: false });
    expect((error as Error).message).toContain('msg_second');
    expect((error as { raw: string }).raw).toContain('msg_second');
    expect(response).toMatchObject({ id: 'msg_x', reasoning: 'I will call the tool.', finishReason: undefined });
    expect(response.metadata.thinkingSignature).toBe('sig-first');
    expect(chunks.every((c) => c.id === 'msg_x')).toBe(true);
  });

  test('the same message_start twice is tolerated: one answer, the usage of the first', () => {
    const { error, response, chunks } = decode([start(), start({ input_tokens: 99, output_tokens: 1 }), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Hello' }), stop(0), messageDelta('end_turn'), messageStop]);
    expect(error).toBeUndefined();
    expect(response.content).toBe('Hello');
    expect(response.usage?.inputTokens).toBe(10);
    expect(chunks.filter((c) => c.usage?.inputTokens !== undefined && c.finishReason === undefined)).toHaveLength(1);
  });

  test('a fallback block (beta) relabels the answer to the model that took over, as the official SDK does', () => {
    // the block as @anthropic-ai/sdk 1.14 types it (BetaFallbackBlock: from, to, trigger)
    const fallback = { type: 'fallback', from: { model: 'claude-x' }, to: { model: 'claude-opus-4-8' }, trigger: { type: 'refusal' } };
    const { error, response, chunks } = decode([
      start(),
      blockStart(0, fallback),
      stop(0),
      blockStart(1, { type: 'text', text: '' }),
      delta(1, { type: 'text_delta', text: 'The printing press was invented around 1440.' }),
      stop(1),
      messageDelta('end_turn'),
      messageStop,
    ]);
    expect(error).toBeUndefined();
    expect(response.model).toBe('claude-opus-4-8');
    expect(response.metadata.fallback).toEqual(fallback);
    expect(response.content).toBe('The printing press was invented around 1440.');
    expect(chunks.filter((c) => c.content).every((c) => c.model === 'claude-opus-4-8')).toBe(true);
  });

  describe('pause_turn', () => {
    const searching = (): HttpRequest =>
      anthropic.buildRequest([{ role: 'user', content: 'Search the news' }], resolved({ extraBody: { tools: [{ type: 'web_search_20250305', name: 'web_search' }] } }));
    const pausedHop = (n: number): Array<[string, unknown]> => [
      start(),
      blockStart(0, { type: 'server_tool_use', id: `srvtoolu_${n}`, name: 'web_search', input: {} }),
      delta(0, { type: 'input_json_delta', partial_json: `{"query":"q${n}"}` }),
      stop(0),
      blockStart(1, { type: 'web_search_tool_result', tool_use_id: `srvtoolu_${n}`, content: [] }),
      stop(1),
      messageDelta('pause_turn'),
      messageStop,
    ];
    const tokenOf = (chunks: Chunk[]) => chunks.find((c) => c.metadata?.continuationToken !== undefined)?.metadata?.continuationToken as string | undefined;

    test('a paused server tool loop ends its hop without a finish, with the turn to send again as the continuation token', () => {
      const { chunks, response, error, done } = decode(pausedHop(0), { request: searching() });
      expect(error).toBeUndefined();
      expect(done).toBe(true);
      expect(response.finishReason).toBeUndefined();
      expect(response.metadata.rawFinishReason).toBe('pause_turn');
      expect(JSON.parse(tokenOf(chunks)!)).toEqual({
        pauses: 1,
        content: [
          { type: 'server_tool_use', id: 'srvtoolu_0', name: 'web_search', input: { query: 'q0' } },
          { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_0', content: [] },
        ],
      });
    });

    test('each continuation sends the whole turn so far once; after the last allowed one, a pause finishes as other', () => {
      let request = searching();
      for (let n = 0; n < ANTHROPIC_MAX_PAUSE_CONTINUATIONS; n++) {
        const { chunks, response } = decode(pausedHop(n), { request });
        expect(response.finishReason).toBeUndefined();
        const token = tokenOf(chunks)!;
        expect(JSON.parse(token).content).toHaveLength(2 * (n + 1));
        request = anthropic.continueFrom!(searching(), token);
        const messages = (request.body as { messages: Array<{ role: string; content: unknown[] }> }).messages;
        expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
        expect(messages[1].content).toHaveLength(2 * (n + 1));
      }
      const last = decode(pausedHop(ANTHROPIC_MAX_PAUSE_CONTINUATIONS), { request });
      expect(last.response.finishReason).toBe('other');
      expect(last.response.metadata.rawFinishReason).toBe('pause_turn');
      expect(tokenOf(last.chunks)).toBeUndefined();
    });

    test('a continued turn numbers its tool calls after those of the turn it continues', () => {
      const request = anthropic.continueFrom!(
        searching(),
        JSON.stringify({ pauses: 1, content: [{ type: 'tool_use', id: 'toolu_a', name: 'now', input: {} }, { type: 'text', text: 'x' }] }),
      );
      const { response } = decode([start(), blockStart(0, { type: 'tool_use', id: 'toolu_b', name: 'now', input: {} }), stop(0), messageDelta('tool_use'), messageStop], { request });
      expect(response.toolCalls.map((c) => [c.index, c.id])).toEqual([[1, 'toolu_b']]);
    });

    test('without server tools nothing is recorded and a pause_turn finishes as other; a token rxllm did not make is refused', () => {
      const { response, chunks } = decode(pausedHop(0));
      expect(response.finishReason).toBe('other');
      expect(tokenOf(chunks)).toBeUndefined();
      expect(() => anthropic.continueFrom!(searching(), 'resp_1@4')).toThrow(TypeError);
    });
  });

  test.each([
    ['overloaded_error', true],
    ['api_error', true],
    ['rate_limit_error', true],
    ['timeout_error', true],
    ['invalid_request_error', false],
    ['permission_error', false],
  ])('event: error of type %s → ProviderStreamError, retryable %s', (type, retryable) => {
    const { error, response } = decode([
      start(),
      blockStart(0, { type: 'text', text: '' }),
      delta(0, { type: 'text_delta', text: 'Hel' }),
      ['error', { type: 'error', error: { type, message: `the ${type}` } }],
    ]);
    expect(isProviderStreamError(error)).toBe(true);
    expect(error).toMatchObject({ errorType: type, retryable });
    expect((error as Error).message).toContain(`the ${type}`);
    expect(response.content).toBe('Hel');
  });

  test('a body that ends before the stop reason is a StreamInterruptedError; after message_delta nothing is lost', () => {
    const early = decode([start(), blockStart(0, { type: 'text', text: '' }), delta(0, { type: 'text_delta', text: 'Hi' })]);
    expect(isStreamInterruptedError(early.error)).toBe(true);
    expect((early.error as Error).message).toContain('message_stop');
    const late = decode([start(), messageDelta('end_turn')]);
    expect(late.error).toBeUndefined();
    const complete = decode([start(), messageDelta('end_turn'), messageStop]);
    expect(complete.error).toBeUndefined();
    expect(complete.done).toBe(true);
  });

  test('a payload that is not JSON, or has a field of the wrong type, is a ParseError with the raw line', () => {
    const notJson = decode([start(), ['content_block_delta', '{"type":"content_block_delta","index":0,"delta":{"type":"text_de']]);
    expect(isParseError(notJson.error)).toBe(true);
    expect(notJson.error).toMatchObject({ kind: 'json', raw: '{"type":"content_block_delta","index":0,"delta":{"type":"text_de' });
    const wrongType = decode([start(), ['content_block_delta', { type: 'content_block_delta', index: '0', delta: { type: 'text_delta', text: 'x' } }]]);
    expect(isParseError(wrongType.error)).toBe(true);
    expect((wrongType.error as Error).message).toContain('index');
  });
});
