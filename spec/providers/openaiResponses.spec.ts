import { from, lastValueFrom } from 'rxjs';
import { isParseError, isProviderStreamError, isStreamInterruptedError, toResponse, type ChatMessage, type Chunk } from '../../lib';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import { buildResponsesRequest } from '../../providers/openai-responses/buildResponsesRequest';
import { convertResponsesUsage } from '../../providers/openai-responses/convertResponsesUsage';
import { createResponsesDecoder } from '../../providers/openai-responses/createResponsesDecoder';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { toResponsesInput } from '../../providers/openai-responses/toResponsesInput';

const resolved = (extra: Record<string, unknown> = {}) => ({ model: 'gpt-5-mini', baseURL: 'https://api.openai.com/v1', ...extra });

type Decoded = { chunks: Chunk[]; error?: unknown; done: boolean; ended?: unknown };

/** Feeds payloads (objects, sent as JSON with their type as the event name) to a fresh decoder; the chunks, and what it threw. */
function decode(...events: Array<Record<string, unknown> | string>): Decoded {
  return decodeAnswering(undefined, ...events);
}

/** `decode`, for a stream that answers `request` (the decoder reads the tools it declared) */
function decodeAnswering(request: HttpRequest | undefined, ...events: Array<Record<string, unknown> | string>): Decoded {
  const chunks: Chunk[] = [];
  const decoder = createResponsesDecoder({ provider: 'openai-responses', emit: (chunk) => chunks.push(chunk), request });
  let sequence = 0;
  try {
    for (const event of events) {
      if (typeof event === 'string') decoder.onEvent({ data: event });
      else decoder.onEvent({ data: JSON.stringify({ sequence_number: sequence++, ...event }), event: String(event.type) });
    }
  } catch (error) {
    return { chunks, error, done: decoder.done };
  }
  let ended: unknown;
  try {
    decoder.onEnd();
  } catch (error) {
    ended = error;
  }
  return { chunks, done: decoder.done, ended };
}

const created = { type: 'response.created', response: { id: 'resp_1', model: 'gpt-5-mini-2025-08-07', status: 'in_progress', output: [] } };
const completed = (output: unknown[] = [], usage: unknown = { input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 30, output_tokens_details: { reasoning_tokens: 10 }, total_tokens: 42 }) => ({
  type: 'response.completed',
  response: { id: 'resp_1', model: 'gpt-5-mini-2025-08-07', status: 'completed', output, usage },
});
const text = (delta: unknown) => ({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta });

describe('openai-responses provider', () => {
  test('reads OpenAI: default base URL and model, key from OPENAI_API_KEY, SSE', () => {
    expect(openaiResponses.id).toBe('openai-responses');
    expect(openaiResponses.defaultBaseURL).toBe('https://api.openai.com/v1');
    expect(openaiResponses.apiKeyEnv).toBe('OPENAI_API_KEY');
    expect(openaiResponses.requiresApiKey).toBe(true);
    expect(openaiResponses.framing).toBe('sse');
  });

  describe('request', () => {
    test('POSTs to {baseURL}/responses with the key as Bearer, the input items and stream: true', () => {
      const request = buildResponsesRequest([{ role: 'user', content: 'Hi' }], resolved({ baseURL: 'http://localhost:1234/v1/', apiKey: 'sk-abc', headers: { 'x-team': 'a' } }));
      expect(request.url).toBe('http://localhost:1234/v1/responses');
      expect(request.method).toBe('POST');
      expect(request.headers).toEqual({ accept: 'text/event-stream', authorization: 'Bearer sk-abc', 'x-team': 'a' });
      expect(request.body).toEqual({ model: 'gpt-5-mini', input: [{ role: 'user', content: 'Hi' }], stream: true });
    });

    test('maps maxTokens to max_output_tokens, tools to flat function tools, and merges extraBody last', () => {
      const request = buildResponsesRequest([{ role: 'user', content: 'Weather?' }], resolved({
        temperature: 0.2,
        maxTokens: 500,
        tools: [{ name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }, { name: 'now' }],
        extraBody: { reasoning: { summary: 'auto' }, store: false },
      }));
      expect(request.body).toEqual({
        model: 'gpt-5-mini',
        input: [{ role: 'user', content: 'Weather?' }],
        stream: true,
        temperature: 0.2,
        max_output_tokens: 500,
        tools: [
          { type: 'function', name: 'weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
          { type: 'function', name: 'now', parameters: { type: 'object', properties: {} } },
        ],
        reasoning: { summary: 'auto' },
        store: false,
      });
    });

    test('a tool conversation round-trips: calls as function_call items after the text, results as function_call_output', () => {
      const messages: ChatMessage[] = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        { role: 'assistant', content: 'Checking.', toolCalls: [{ id: 'call_a', name: 'weather', arguments: { city: 'Paris' } }, { id: 'call_b', name: 'weather', arguments: '{"city":"Oslo"}' }] },
        { role: 'tool', toolCallId: 'call_a', content: '18°C' },
        { role: 'tool', toolCallId: 'call_b', content: '7°C' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'call_c', name: 'now', arguments: undefined }] },
      ];
      expect(toResponsesInput(messages)).toEqual([
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Weather in Paris and Oslo?' },
        { role: 'assistant', content: 'Checking.' },
        { type: 'function_call', call_id: 'call_a', name: 'weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call', call_id: 'call_b', name: 'weather', arguments: '{"city":"Oslo"}' },
        { type: 'function_call_output', call_id: 'call_a', output: '18°C' },
        { type: 'function_call_output', call_id: 'call_b', output: '7°C' },
        { type: 'function_call', call_id: 'call_c', name: 'now', arguments: '{}' },
      ]);
    });

    test("reasoning items go back right before the item that followed each, which goes with its id; a custom tool's call and result as custom_tool_call items", () => {
      const messages: ChatMessage[] = [
        { role: 'user', content: 'Weather in Paris, then a note?' },
        {
          role: 'assistant',
          content: 'Checking:\n\n- Paris\n  - then a note',
          thinkingBlocks: [
            { type: 'thinking', thinking: 'an Anthropic block', signature: 'sig' },
            { type: 'reasoning', id: 'rs_1', summary: ['**Plan**', 'two calls'], followedBy: 'msg_1' },
            { type: 'reasoning', id: 'rs_2', summary: [], encryptedContent: 'c2VhbGVk', followedBy: 'fc_2' },
            { type: 'reasoning', id: 'rs_gone', summary: [], followedBy: 'fc_gone' },
          ],
          toolCalls: [
            { id: 'call_2', name: 'weather', arguments: '{"city":"Paris"}', itemId: 'fc_2' },
            { id: 'call_3', name: 'write_note', arguments: '  indented 🙂', custom: true, itemId: 'ctc_3' },
          ],
        },
        { role: 'tool', toolCallId: 'call_2', content: '18°C' },
        { role: 'tool', toolCallId: 'call_3', content: 'saved' },
      ];
      expect(toResponsesInput(messages)).toEqual([
        { role: 'user', content: 'Weather in Paris, then a note?' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: '**Plan**' }, { type: 'summary_text', text: 'two calls' }] },
        { type: 'message', role: 'assistant', id: 'msg_1', status: 'completed', content: [{ type: 'output_text', text: 'Checking:\n\n- Paris\n  - then a note', annotations: [] }] },
        { type: 'reasoning', id: 'rs_2', summary: [], encrypted_content: 'c2VhbGVk' },
        { type: 'function_call', id: 'fc_2', call_id: 'call_2', name: 'weather', arguments: '{"city":"Paris"}' },
        // no reasoning item pairs with it: it goes as a new item, without its id
        { type: 'custom_tool_call', call_id: 'call_3', name: 'write_note', input: '  indented 🙂' },
        { type: 'function_call_output', call_id: 'call_2', output: '18°C' },
        { type: 'custom_tool_call_output', call_id: 'call_3', output: 'saved' },
      ]);
    });
  });

  describe('decoder', () => {
    test('text deltas become content, white space untouched; the end carries the finish reason, raw status and usage', () => {
      const code = 'def f():\n    return {\n\t"a": 1,\n}\n\n- item\n  - nested 日本語 🙂';
      const { chunks, done, ended } = decode(created, text(code.slice(0, 9)), text(code.slice(9)), text(''), completed());
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(code);
      expect(chunks.every((c) => c.id === 'resp_1' && c.model === 'gpt-5-mini-2025-08-07')).toBe(true);
      const last = chunks[chunks.length - 1];
      expect(last.finishReason).toBe('stop');
      expect(last.metadata?.rawFinishReason).toBe('completed');
      expect(last.usage).toEqual({ inputTokens: 12, cachedInputTokens: 4, outputTokens: 30, reasoningTokens: 10, totalTokens: 42 });
      expect(done).toBe(true);
      expect(ended).toBeUndefined();
    });

    test('a function call: its call_id (not the fc_ item id) and name, then its argument fragments; the finish is tool_calls', () => {
      const item = { id: 'fc_9', type: 'function_call', status: 'in_progress', arguments: '', call_id: 'call_9', name: 'weather' };
      const { chunks } = decode(
        created,
        { type: 'response.output_item.added', output_index: 0, item },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_9', output_index: 0, delta: '{"city":' },
        { type: 'response.function_call_arguments.delta', item_id: 'fc_9', output_index: 0, delta: '"Paris"}' },
        { type: 'response.function_call_arguments.done', item_id: 'fc_9', output_index: 0, arguments: '{"city":"Paris"}' },
        { type: 'response.output_item.done', output_index: 0, item: { ...item, status: 'completed', arguments: '{"city":"Paris"}' } },
        completed([{ ...item, status: 'completed', arguments: '{"city":"Paris"}' }]),
      );
      expect(chunks.flatMap((c) => c.toolCalls ?? [])).toEqual([
        { index: 0, id: 'call_9', name: 'weather', itemId: 'fc_9' },
        { index: 0, argumentsDelta: '{"city":' },
        { index: 0, argumentsDelta: '"Paris"}' },
      ]);
      expect(chunks[chunks.length - 1].finishReason).toBe('tool_calls');
    });

    test('a reasoning item joins metadata.thinkingBlocks once the item after it begins, paired with it; toResponse() keeps them all', async () => {
      const reasoning = (id: string, summary: string[], extra: object = {}) => ({ id, type: 'reasoning', summary: summary.map((t) => ({ type: 'summary_text', text: t })), ...extra });
      const call = { id: 'fc_2', type: 'function_call', status: 'in_progress', arguments: '{}', call_id: 'call_2', name: 'now' };
      const { chunks } = decode(
        created,
        { type: 'response.output_item.added', output_index: 0, item: reasoning('rs_1', []) },
        { type: 'response.output_item.done', output_index: 0, item: reasoning('rs_1', ['**Plan**', 'then act'], { encrypted_content: 'c2VhbGVk' }) },
        { type: 'response.output_item.added', output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } },
        text('On it.'),
        { type: 'response.output_item.added', output_index: 2, item: reasoning('rs_2', []) },
        { type: 'response.output_item.done', output_index: 2, item: reasoning('rs_2', []) },
        { type: 'response.output_item.added', output_index: 3, item: call },
        { type: 'response.output_item.done', output_index: 3, item: call },
        // a reasoning item with nothing after it cannot go back: it is not reported
        { type: 'response.output_item.done', output_index: 4, item: reasoning('rs_3', ['last']) },
        completed([]),
      );
      const first = { type: 'reasoning', id: 'rs_1', summary: ['**Plan**', 'then act'], encryptedContent: 'c2VhbGVk', followedBy: 'msg_1' };
      const second = { type: 'reasoning', id: 'rs_2', summary: [], followedBy: 'fc_2' };
      expect(chunks.flatMap((c) => (c.metadata?.thinkingBlocks ? [c.metadata.thinkingBlocks] : []))).toEqual([[first], [first, second]]);
      const response = await lastValueFrom(from(chunks).pipe(toResponse()));
      expect(response.metadata.thinkingBlocks).toEqual([first, second]);
      expect(response.toolCalls).toEqual([{ index: 0, id: 'call_2', name: 'now', arguments: {}, argumentsText: '{}', itemId: 'fc_2' }]);
    });

    test("a custom tool's call the request declared: custom, its input text as it streamed; one it did not declare is the server's (xAI's built-in search), skipped", () => {
      const item = (id: string, name: string) => ({ id, type: 'custom_tool_call', status: 'in_progress', call_id: `call_${id}`, name, input: '' });
      const input = (id: string, index: number, delta: string) => ({ type: 'response.custom_tool_call_input.delta', item_id: id, output_index: index, delta });
      const events = [
        created,
        { type: 'response.output_item.added', output_index: 0, item: item('ctc_1', 'x_keyword_search') },
        input('ctc_1', 0, '{"query":"from:xai"}'),
        { type: 'response.output_item.done', output_index: 0, item: { ...item('ctc_1', 'x_keyword_search'), input: '{"query":"from:xai"}' } },
        { type: 'response.output_item.added', output_index: 1, item: item('ctc_2', 'run_sql') },
        input('ctc_2', 1, 'SELECT *\n  FROM t'),
        input('ctc_2', 1, '\n  WHERE 東京 = 1'),
        { type: 'response.custom_tool_call_input.done', item_id: 'ctc_2', output_index: 1, input: 'SELECT *\n  FROM t\n  WHERE 東京 = 1' },
        completed([{ ...item('ctc_1', 'x_keyword_search'), status: 'completed' }, { ...item('ctc_2', 'run_sql'), status: 'completed' }]),
      ];
      const request = (tools: unknown[]): HttpRequest => ({ url: 'https://api.x.ai/v1/responses', method: 'POST', headers: {}, body: { model: 'm', input: 'q', tools } });
      const declared = decodeAnswering(request([{ type: 'x_search' }, { type: 'custom', name: 'run_sql' }]), ...events);
      expect(declared.chunks.flatMap((c) => c.toolCalls ?? [])).toEqual([
        { index: 0, id: 'call_ctc_2', name: 'run_sql', itemId: 'ctc_2', custom: true },
        { index: 0, argumentsDelta: 'SELECT *\n  FROM t', custom: true },
        { index: 0, argumentsDelta: '\n  WHERE 東京 = 1', custom: true },
      ]);
      expect(declared.chunks[declared.chunks.length - 1].finishReason).toBe('tool_calls');
      const serverOnly = decodeAnswering(request([{ type: 'x_search' }]), ...events);
      expect(serverOnly.chunks.some((c) => c.toolCalls)).toBe(false);
      expect(serverOnly.chunks[serverOnly.chunks.length - 1].finishReason).toBe('stop');
    });

    test('arguments sent only whole (on .done, or on the item when it is done) are emitted then, once', () => {
      const onDone = decode(
        { type: 'response.output_item.added', output_index: 1, item: { type: 'function_call', call_id: 'call_1', name: 'now', arguments: '' } },
        { type: 'response.function_call_arguments.done', output_index: 1, arguments: '{"tz":"UTC"}' },
        { type: 'response.output_item.done', output_index: 1, item: { type: 'function_call', call_id: 'call_1', name: 'now', arguments: '{"tz":"UTC"}' } },
        completed(),
      );
      expect(onDone.chunks.flatMap((c) => c.toolCalls ?? [])).toEqual([{ index: 0, id: 'call_1', name: 'now' }, { index: 0, argumentsDelta: '{"tz":"UTC"}' }]);
      const onlyItemDone = decode({ type: 'response.output_item.done', output_index: 0, item: { type: 'function_call', call_id: 'call_2', name: 'now', arguments: '{}' } }, completed());
      expect(onlyItemDone.chunks.flatMap((c) => c.toolCalls ?? [])).toEqual([{ index: 0, id: 'call_2', name: 'now', argumentsDelta: '{}' }]);
      expect(onlyItemDone.chunks[onlyItemDone.chunks.length - 1].finishReason).toBe('tool_calls');
    });

    test('reasoning summaries and raw reasoning text become reasoning, two pieces separated by a blank line', () => {
      const { chunks } = decode(
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'First ' },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'thought.' },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: '' },
        { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'Second.' },
        { type: 'response.reasoning_text.delta', item_id: 'rs_2', output_index: 1, content_index: 0, delta: 'raw' },
        completed(),
      );
      expect(chunks.map((c) => c.reasoning ?? '').join('')).toBe('First thought.\n\nSecond.\n\nraw');
    });

    test('a refusal streams as content marked refusal; url_citation annotations become citations; other annotations do not', () => {
      const { chunks } = decode(
        { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: "I can't help with that." },
        { type: 'response.output_text.annotation.added', annotation: { type: 'url_citation', url: 'https://example.com/a', title: 'A', start_index: 0, end_index: 3 } },
        { type: 'response.output_text.annotation.added', annotation: { type: 'url_citation', url: 'https://example.com/b' } },
        { type: 'response.output_text.annotation.added', annotation: { type: 'file_citation', file_id: 'file_1', filename: 'a.pdf', index: 0 } },
        completed(),
      );
      expect(chunks[0]).toMatchObject({ content: "I can't help with that.", metadata: { refusal: true } });
      expect(chunks.flatMap((c) => c.citations ?? [])).toEqual([{ url: 'https://example.com/a', title: 'A' }, { url: 'https://example.com/b' }]);
    });


    test("a url citation's span: its part's start in the answer plus its character offsets as string indices (emoji take two)", () => {
      // two message items; the second part's annotation counts from that part's own start, in code points
      const first = 'Intro 🙂 text.\n';
      const second = '  - Rust 🦀 ships: 流れ (source).';
      const { chunks } = decode(
        { type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: first },
        { type: 'response.output_text.delta', item_id: 'msg_2', output_index: 1, content_index: 0, delta: second.slice(0, 12) },
        { type: 'response.output_text.delta', item_id: 'msg_2', output_index: 1, content_index: 0, delta: second.slice(12) },
        // "流れ" begins at code point 18 of the second part ("  - Rust 🦀 ships: " is 18 characters, 19 string units)
        { type: 'response.output_text.annotation.added', item_id: 'msg_2', output_index: 1, content_index: 0, annotation: { type: 'url_citation', url: 'https://example.com/flow', start_index: 18, end_index: 20 } },
        // an annotation of a part that never streamed: no span
        { type: 'response.output_text.annotation.added', item_id: 'msg_9', output_index: 9, content_index: 0, annotation: { type: 'url_citation', url: 'https://example.com/x', start_index: 0, end_index: 1 } },
        completed(),
      );
      const text = chunks.map((c) => c.content ?? '').join('');
      const [flow, other] = chunks.flatMap((c) => c.citations ?? []);
      expect(text.slice(flow.span!.start, flow.span!.end)).toBe('流れ');
      expect(flow.span).toEqual({ start: first.length + second.indexOf('流れ'), end: first.length + second.indexOf('流れ') + 2 });
      expect(other).toEqual({ url: 'https://example.com/x' });
    });
    test('response.incomplete: length for max_output_tokens, content_filter, other for another reason', () => {
      const end = (reason: string) => decode({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason }, usage: { input_tokens: 1, output_tokens: 2 } } }).chunks[0];
      expect(end('max_output_tokens')).toMatchObject({ finishReason: 'length', metadata: { rawFinishReason: 'incomplete:max_output_tokens' }, usage: { inputTokens: 1, outputTokens: 2 } });
      expect(end('content_filter').finishReason).toBe('content_filter');
      expect(end('server_overloaded').finishReason).toBe('other');
    });

    test('an error event (nested or flat) and response.failed end the stream with ProviderStreamError, after what came before', () => {
      const nested = decode(text('Hal'), { type: 'error', error: { type: 'server_error', code: 'server_error', message: 'The server had an error', param: null } });
      expect(nested.chunks.map((c) => c.content)).toEqual(['Hal']);
      expect(isProviderStreamError(nested.error)).toBe(true);
      expect(nested.error).toMatchObject({ code: 'server_error', message: expect.stringContaining('The server had an error') });
      const flat = decode({ type: 'error', code: 'rate_limit_exceeded', message: 'Slow down', param: null });
      expect(flat.error).toMatchObject({ code: 'rate_limit_exceeded', message: expect.stringContaining('Slow down') });
      const failed = decode({ type: 'response.failed', response: { status: 'failed', error: { code: 'insufficient_quota', message: 'You exceeded your current quota' } } });
      expect(isProviderStreamError(failed.error)).toBe(true);
      expect(failed.error).toMatchObject({ code: 'insufficient_quota', message: expect.stringContaining('You exceeded your current quota') });
    });

    test('hosted-tool events, lifecycle events, data-only frames and a [DONE] are skipped without harm', () => {
      const { chunks, error, ended } = decode(
        created,
        { type: 'response.web_search_call.in_progress', item_id: 'ws_1', output_index: 0 },
        { type: 'response.code_interpreter_call_code.delta', item_id: 'ci_1', output_index: 1, delta: 'print(1)' },
        { type: 'response.image_generation_call.partial_image', item_id: 'ig_1', output_index: 2, partial_image_b64: 'iVBOR' },
        { type: 'response.some_future_event', payload: [1, 2] },
        text('ok'),
        completed(),
        '[DONE]',
      );
      expect(error).toBeUndefined();
      expect(ended).toBeUndefined();
      expect(chunks.map((c) => c.content ?? '').join('')).toBe('ok');
    });

    test('a body that ends before response.completed was cut short; a text delta that is not text is a ParseError', () => {
      const cut = decode(created, text('partial'));
      expect(cut.done).toBe(false);
      expect(isStreamInterruptedError(cut.ended)).toBe(true);
      const bad = decode(text(42));
      expect(isParseError(bad.error) && bad.error.kind).toBe('schema');
      expect((bad.error as Error).message).toContain('response.output_text.delta without a text delta');
      const notJson = decode('{"type":"response.output_text.delta"');
      expect(isParseError(notJson.error) && notJson.error.kind).toBe('json');
    });
  });

  test('usage counts that are not numbers are left out', () => {
    expect(convertResponsesUsage({ input_tokens: 5, output_tokens: null, input_tokens_details: null, output_tokens_details: { reasoning_tokens: 'x' } })).toEqual({ inputTokens: 5 });
  });
});
