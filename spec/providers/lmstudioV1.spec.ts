import { isConfigError, isParseError, isProviderStreamError, isStreamInterruptedError, streamChat$, type ChatMessage, type Chunk } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { lmstudio } from '../../providers/lmstudio';
import { lmstudioEndpoint } from '../../providers/lmstudio/lmstudioEndpoint';
import { collect } from '../support/collect';

const user = (content: string): ChatMessage[] => [{ role: 'user', content }];
const V1_REQUEST: HttpRequest = { url: 'http://localhost:1234/api/v1/chat', method: 'POST', headers: {}, body: { model: 'openai/gpt-oss-20b', input: 'Hi', stream: true } };

/** Feeds `[event name, payload]` pairs to a fresh LM Studio decoder for a request to /api/v1/chat. */
function decode(events: Array<[string | undefined, Record<string, unknown> | string]>, request: HttpRequest = V1_REQUEST) {
  const chunks: Chunk[] = [];
  const decoder = lmstudio.createDecoder({ provider: 'lmstudio', emit: (c) => chunks.push(c), request });
  let error: unknown;
  try {
    for (const [event, data] of events) decoder.onEvent({ event, data: typeof data === 'string' ? data : JSON.stringify(data) });
    decoder.onEnd();
  } catch (e) {
    error = e;
  }
  return { chunks, decoder, error };
}
const ev = (type: string, payload: Record<string, unknown> = {}): [string, Record<string, unknown>] => [type, { type, ...payload }];

// The example event data of lmstudio.ai/docs/developer/rest/streaming-events (lmstudio-ai/docs,
// 1_developer/2_rest/streaming-events.md), one per event type.
const PROVIDER_INFO = { type: 'ephemeral_mcp', server_label: 'huggingface' };
const ARGS = { sort: 'trendingScore', limit: 1 };
const OUTPUT = '[{"type":"text","text":"Showing first 1 models..."}]';
const STATS = { input_tokens: 329, total_output_tokens: 268, reasoning_output_tokens: 5, tokens_per_second: 43.73, time_to_first_token_seconds: 0.781 };
const chatEnd = (stats: Record<string, unknown> = STATS, extra: Record<string, unknown> = {}) =>
  ev('chat.end', { result: { model_instance_id: 'openai/gpt-oss-20b', output: [{ type: 'message', content: 'The current top‑trending model is...' }], stats, ...extra } });

describe('lmstudio REST v1 (/api/v1/chat)', () => {
  describe('request', () => {
    const saved = process.env.LM_API_TOKEN;
    beforeEach(() => delete process.env.LM_API_TOKEN);
    afterAll(() => {
      if (saved !== undefined) process.env.LM_API_TOKEN = saved;
    });

    test("native: true, a system prompt and a user turn → POST /api/v1/chat with input, system_prompt, store: false, max_output_tokens", () => {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'system', content: '  Keep code indented.\n' },
        { role: 'user', content: '  def f():\n\treturn 1\n' },
      ];
      const { request } = prepareRequest('lmstudio', messages, { native: true, maxTokens: 64, temperature: 0.2, apiKey: 'lm-token' });
      expect(request.url).toBe('http://localhost:1234/api/v1/chat');
      expect(request.headers).toEqual({ accept: 'text/event-stream', authorization: 'Bearer lm-token' });
      expect(request.body).toEqual({
        model: 'qwen/qwen3-4b',
        input: '  def f():\n\treturn 1\n',
        system_prompt: 'Answer briefly.\n\n  Keep code indented.\n',
        stream: true,
        store: false,
        temperature: 0.2,
        max_output_tokens: 64,
      });
    });

    test("several user turns → input items { type: 'message', content }; extraBody is merged last (store, reasoning)", () => {
      const messages: ChatMessage[] = [
        { role: 'user', content: '- one\n- two' },
        { role: 'user', content: '你好 👋' },
      ];
      const { request } = prepareRequest('lmstudio', messages, { native: 'v1', extraBody: { store: true, reasoning: 'low' } });
      expect(request.body).toEqual({
        model: 'qwen/qwen3-4b',
        input: [
          { type: 'message', content: '- one\n- two' },
          { type: 'message', content: '你好 👋' },
        ],
        stream: true,
        store: true,
        reasoning: 'low',
      });
    });

    test('native: true falls back to REST v0 for what v1 cannot take: earlier answers, tool results, tools', () => {
      const history: ChatMessage[] = [...user('Hi'), { role: 'assistant', content: 'Hello' }, ...user('Go on')];
      expect(prepareRequest('lmstudio', history, { native: true }).request.url).toBe('http://localhost:1234/api/v0/chat/completions');
      const tools = [{ name: 'get_current_weather', parameters: { type: 'object', properties: {} } }];
      expect(prepareRequest('lmstudio', user('Weather?'), { native: true, tools }).request.url).toBe('http://localhost:1234/api/v0/chat/completions');
      expect(lmstudioEndpoint(user('Hi'), { native: true })).toBe('v1');
      expect(lmstudioEndpoint([{ role: 'system', content: 'only a system prompt' }], { native: true })).toBe('compatible');
    });

    test("native: 'v0' is REST v0 always; native: false or absent the OpenAI-compatible endpoint", () => {
      expect(prepareRequest('lmstudio', user('Hi'), { native: 'v0' }).request.url).toBe('http://localhost:1234/api/v0/chat/completions');
      expect(prepareRequest('lmstudio', user('Hi'), { native: 'v0' }).request.body).toMatchObject({ messages: [{ role: 'user', content: 'Hi' }] });
      expect(prepareRequest('lmstudio', user('Hi'), { native: false }).request.url).toBe('http://localhost:1234/v1/chat/completions');
      expect(prepareRequest('lmstudio', user('Hi'), {}).request.url).toBe('http://localhost:1234/v1/chat/completions');
    });

    test("native: 'v1' refuses what v1 cannot take with a ConfigError naming the path and the fix", () => {
      const history: ChatMessage[] = [...user('Hi'), { role: 'assistant', content: 'Hello' }, ...user('Go on')];
      let error: unknown;
      try {
        prepareRequest('lmstudio', history, { native: 'v1' });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(/messages\.1\.role: expected system or user .*use native: 'v0'.*got "?assistant"?/);
      const tools = [{ name: 'f', parameters: { type: 'object', properties: {} } }];
      expect(() => prepareRequest('lmstudio', user('Hi'), { native: 'v1', tools })).toThrow(/tools: expected none .*use native: 'v0'/);
    });

    test("a native value other than true, false, 'v1', 'v0' is a ConfigError before any request", async () => {
      const { error } = await collect(streamChat$('lmstudio', user('Hi'), { native: 'v2' as never }));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toMatch(/native/);
    });
  });

  describe('decoder', () => {
    test('the documented events: reasoning, content, the server-run tool call, then chat.end with usage, stats and the response id', () => {
      const { chunks, decoder, error } = decode([
        ev('chat.start', { model_instance_id: 'openai/gpt-oss-20b' }),
        ev('prompt_processing.start'),
        ev('prompt_processing.progress', { progress: 0.5 }),
        ev('prompt_processing.end'),
        ev('reasoning.start'),
        ev('reasoning.delta', { content: 'Need to' }),
        ev('reasoning.end'),
        ev('tool_call.start', { tool: 'model_search', provider_info: PROVIDER_INFO }),
        ev('tool_call.arguments', { tool: 'model_search', arguments: ARGS, provider_info: PROVIDER_INFO }),
        ev('tool_call.success', { tool: 'model_search', arguments: ARGS, output: OUTPUT, provider_info: PROVIDER_INFO }),
        ev('message.start'),
        ev('message.delta', { content: 'The current' }),
        ev('message.end'),
        chatEnd(STATS, { response_id: 'resp_02b2017dbc06c12bfc353a2ed6c2b802f8cc682884bb5716' }),
      ]);
      expect(error).toBeUndefined();
      expect(decoder.done).toBe(true);
      const base = { provider: 'lmstudio', seq: 0, bytes: 0, model: 'openai/gpt-oss-20b' };
      const running = { tool: 'model_search', status: 'running', providerInfo: PROVIDER_INFO };
      expect(chunks).toEqual([
        { ...base, reasoning: 'Need to' },
        { ...base, metadata: { serverToolCalls: [running] } },
        { ...base, metadata: { serverToolCalls: [{ ...running, arguments: ARGS }] } },
        { ...base, metadata: { serverToolCalls: [{ ...running, arguments: ARGS, status: 'succeeded', output: OUTPUT }] } },
        { ...base, content: 'The current' },
        {
          ...base,
          id: 'resp_02b2017dbc06c12bfc353a2ed6c2b802f8cc682884bb5716',
          finishReason: 'stop',
          usage: { inputTokens: 329, outputTokens: 268, reasoningTokens: 5, totalTokens: 597 },
          metadata: { stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781 } },
        },
      ]);
      // the server-run call is not a call for the client
      expect(chunks.some((c) => c.toolCalls)).toBe(false);
    });

    test('deltas keep their white space exactly: indented code, a list, emoji, CJK', () => {
      const pieces = ['```py\n', '  def f():\n', '\treturn 1\n', '```\n\n', '- one\n', '  - nested\n', '👍🏽 ', '漢字と', 'かな。\n'];
      const { chunks, error } = decode([ev('chat.start', { model_instance_id: 'm' }), ...pieces.map((content) => ev('message.delta', { content })), chatEnd()]);
      expect(error).toBeUndefined();
      expect(chunks.filter((c) => c.content).map((c) => c.content)).toEqual(pieces);
    });

    test('model_load.*, prompt_processing.*, the start/end markers, empty deltas and unknown event types add no chunk', () => {
      const { chunks, error } = decode([
        ev('chat.start', { model_instance_id: 'qwen/qwen3-4b' }),
        ev('model_load.start', { model_instance_id: 'qwen/qwen3-4b' }),
        ev('model_load.progress', { model_instance_id: 'qwen/qwen3-4b', progress: 0.65 }),
        ev('model_load.end', { model_instance_id: 'qwen/qwen3-4b', load_time_seconds: 12.34 }),
        ev('prompt_processing.start'),
        ev('message.start'),
        ev('message.delta', { content: '' }),
        ev('message.delta.v2', { content: 'not read' }),
        ev('message.end'),
      ]);
      expect(chunks).toEqual([]);
      // no chat.end: the stream was cut short
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as Error).message).toBe('lmstudio: the stream ended before chat.end');
    });

    test("the type is read from the payload when the event has no name of its own; model_load_time_seconds → modelLoadTimeSeconds", () => {
      const { chunks, error } = decode([
        [undefined, { type: 'message.delta', content: 'Hi' }],
        [undefined, { type: 'chat.end', result: { stats: { ...STATS, model_load_time_seconds: 12.34 } } }],
      ]);
      expect(error).toBeUndefined();
      expect(chunks.map((c) => c.content ?? c.finishReason)).toEqual(['Hi', 'stop']);
      expect(chunks[1].metadata).toEqual({ stats: { tokensPerSecond: 43.73, timeToFirstTokenSeconds: 0.781, modelLoadTimeSeconds: 12.34 } });
    });

    test('an error event → ProviderStreamError with the server message and type, after what came before it', () => {
      const error = { type: 'invalid_request', message: '"model" is required', code: 'missing_required_parameter', param: 'model' };
      const { chunks, error: thrown } = decode([ev('chat.start', { model_instance_id: 'm' }), ev('message.delta', { content: 'Half an ' }), ev('error', { error }), chatEnd()]);
      expect(chunks.map((c) => c.content)).toEqual(['Half an ']);
      expect(isProviderStreamError(thrown)).toBe(true);
      expect(thrown).toMatchObject({ errorType: 'invalid_request', code: 'missing_required_parameter', retryable: false, body: { type: 'error', error } });
      expect((thrown as Error).message).toBe('lmstudio stream error (invalid_request): "model" is required');
      const internal = decode([ev('error', { error: { type: 'internal_error', message: 'crashed' } })]).error;
      expect(internal).toMatchObject({ name: 'ProviderStreamError', retryable: true });
    });

    test('a failed tool call: its reason and details, the name taken from the details when it is an invalid name', () => {
      const metadata = { type: 'invalid_name', tool_name: 'open_browser' };
      const { chunks } = decode([ev('tool_call.failure', { reason: 'Cannot find tool with name open_browser.', metadata }), chatEnd()]);
      expect(chunks[0].metadata).toEqual({
        serverToolCalls: [{ tool: 'open_browser', status: 'failed', reason: 'Cannot find tool with name open_browser.', failure: metadata }],
      });
    });

    test('two tool calls in a row are two entries; a chunk handed on does not change afterwards', () => {
      const { chunks } = decode([
        ev('tool_call.start', { tool: 'a' }),
        ev('tool_call.success', { tool: 'a', arguments: {}, output: 'A' }),
        ev('tool_call.start', { tool: 'b' }),
        ev('tool_call.success', { tool: 'b', arguments: { q: 1 }, output: 'B' }),
        chatEnd(),
      ]);
      expect(chunks[0].metadata).toEqual({ serverToolCalls: [{ tool: 'a', status: 'running' }] });
      expect(chunks[3].metadata!.serverToolCalls).toEqual([
        { tool: 'a', status: 'succeeded', arguments: {}, output: 'A' },
        { tool: 'b', status: 'succeeded', arguments: { q: 1 }, output: 'B' },
      ]);
    });

    test("finish reason: 'length' when the output tokens reached the request's max_output_tokens, else 'stop'", () => {
      const limited: HttpRequest = { ...V1_REQUEST, body: { ...(V1_REQUEST.body as object), max_output_tokens: 268 } };
      expect(decode([chatEnd()], limited).chunks[0].finishReason).toBe('length');
      const roomy: HttpRequest = { ...V1_REQUEST, body: { ...(V1_REQUEST.body as object), max_output_tokens: 269 } };
      expect(decode([chatEnd()], roomy).chunks[0].finishReason).toBe('stop');
      expect(decode([chatEnd({})]).chunks[0]).toEqual({ provider: 'lmstudio', seq: 0, bytes: 0, model: 'openai/gpt-oss-20b', finishReason: 'stop' });
    });

    test('bad JSON is a ParseError with the raw line', () => {
      const { error } = decode([['message.delta', '{"type":"message.delta","content":']]);
      expect(isParseError(error)).toBe(true);
      expect(error).toMatchObject({ raw: '{"type":"message.delta","content":' });
    });

    test('a request to another endpoint (or none) keeps the Chat Completions decoder', () => {
      const chunks: Chunk[] = [];
      const decoder = lmstudio.createDecoder({ provider: 'lmstudio', emit: (c) => chunks.push(c), request: { ...V1_REQUEST, url: 'http://localhost:1234/api/v0/chat/completions' } });
      decoder.onEvent({ data: JSON.stringify({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] }) });
      expect(chunks.map((c) => c.content)).toEqual(['Hi']);
      const v1WithQuery = lmstudio.createDecoder({ provider: 'lmstudio', emit: (c) => chunks.push(c), request: { ...V1_REQUEST, url: 'http://h:1/api/v1/chat?x=1' } });
      v1WithQuery.onEvent({ event: 'message.delta', data: '{"type":"message.delta","content":"v1"}' });
      expect(chunks.map((c) => c.content)).toEqual(['Hi', 'v1']);
    });
  });
});
