import {
  createResponseAccumulator,
  isConfigError,
  isParseError,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatMessage,
  type ChatResponse,
  type ConfigError,
  type ParseError,
  type ProviderStreamError,
  type ResolvedOptions,
  type StreamMetrics,
} from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { gemini, type GeminiOptions } from '../../providers/gemini';
import { convertGeminiUsage } from '../../providers/gemini/convertGeminiUsage';
import { geminiGroundingCitations, geminiSourceCitations } from '../../providers/gemini/geminiCitations';
import { GeminiPartialArgs, parseJsonPath } from '../../providers/gemini/geminiPartialArgs';
import { isGeneratedGeminiToolCallId } from '../../providers/gemini/geminiToolCallId';
import { mapGeminiFinishReason } from '../../providers/gemini/mapGeminiFinishReason';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const BASE = 'https://generativelanguage.googleapis.com/v1beta';
const options = (extra: Partial<ResolvedOptions<GeminiOptions>> = {}): ResolvedOptions<GeminiOptions> => ({
  model: 'gemini-2.5-flash',
  baseURL: BASE,
  apiKey: 'AIza-test-key',
  ...extra,
});
type Body = {
  contents: Array<{ role: string; parts: Array<Record<string, any>> }>;
  systemInstruction?: { parts: Array<{ text: string }> };
  generationConfig?: Record<string, any>;
  tools?: Array<{ functionDeclarations: Array<Record<string, unknown>> }>;
  safetySettings?: unknown;
  [key: string]: unknown;
};
const bodyOf = (messages: ChatMessage[], extra: Partial<ResolvedOptions<GeminiOptions>> = {}) => gemini.buildRequest(messages, options(extra)).body as Body;

describe('gemini provider', () => {
  test('is registered under its id with its defaults', () => {
    const { provider, request } = prepareRequest('gemini', [{ role: 'user', content: 'Hi' }], { apiKey: 'k-1234' });
    expect(provider).toBe(gemini);
    expect(gemini.defaultBaseURL).toBe(BASE);
    expect(gemini.defaultModel).toBe('gemini-2.5-flash');
    expect(request.url).toBe(`${BASE}/models/gemini-2.5-flash:streamGenerateContent?alt=sse`);
  });

  describe('request building', () => {
    test('URL with the model and alt=sse; the key in x-goog-api-key, not in the URL', () => {
      const request = gemini.buildRequest([{ role: 'user', content: 'Hi' }], options({ model: 'gemini-2.0-flash', baseURL: 'http://proxy.test/v1beta/' }));
      expect(request.method).toBe('POST');
      expect(request.url).toBe('http://proxy.test/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
      expect(request.headers['x-goog-api-key']).toBe('AIza-test-key');
      expect(request.url).not.toContain('AIza-test-key');
      expect(request.url).not.toContain('key=');
      expect(request.headers.authorization).toBeUndefined();
    });

    test('a model given as models/<id> is not doubled', () => {
      expect(gemini.buildRequest([{ role: 'user', content: 'Hi' }], options({ model: 'models/gemini-2.5-pro' })).url).toBe(
        `${BASE}/models/gemini-2.5-pro:streamGenerateContent?alt=sse`,
      );
    });

    test('roles: user stays user, assistant becomes model, system messages become systemInstruction', () => {
      const body = bodyOf([
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'Capital of France?' },
        { role: 'assistant', content: 'Paris.' },
        { role: 'system', content: 'Answer in English.' },
        { role: 'user', content: 'And of Italy?' },
      ]);
      expect(body.systemInstruction).toEqual({ parts: [{ text: 'You are terse.' }, { text: 'Answer in English.' }] });
      expect(body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Capital of France?' }] },
        { role: 'model', parts: [{ text: 'Paris.' }] },
        { role: 'user', parts: [{ text: 'And of Italy?' }] },
      ]);
      expect(body.contents.some((c) => c.role === 'assistant' || c.role === 'system')).toBe(false);
    });

    test('assistant tool calls become functionCall parts; tool results functionResponse parts named after the call', () => {
      const body = bodyOf([
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: '96c1su3s', name: 'get_weather', arguments: '{"city":"Paris"}' },
            { id: 'gemini-call-abc-1', name: 'get_time', arguments: { city: 'Rome' } },
          ],
        },
        { role: 'tool', content: '{"tempC":18}', toolCallId: '96c1su3s' },
        { role: 'tool', content: '14:05', toolCallId: 'gemini-call-abc-1' },
        { role: 'user', content: 'Thanks' },
      ]);
      expect(body.contents).toEqual([
        { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
        {
          role: 'model',
          parts: [
            { functionCall: { name: 'get_weather', args: { city: 'Paris' }, id: '96c1su3s' } },
            // an id rxllm generated (the API sent none) is not sent back
            { functionCall: { name: 'get_time', args: { city: 'Rome' } } },
          ],
        },
        {
          // consecutive tool results answer in one turn
          role: 'user',
          parts: [
            { functionResponse: { name: 'get_weather', response: { tempC: 18 }, id: '96c1su3s' } },
            { functionResponse: { name: 'get_time', response: { content: '14:05' } } },
          ],
        },
        { role: 'user', parts: [{ text: 'Thanks' }] },
      ]);
    });

    test('a tool result is named after the most recent call with its id', () => {
      const body = bodyOf([
        { role: 'user', content: 'a' },
        { role: 'assistant', content: null, toolCalls: [{ id: 'x', name: 'first', arguments: '{}' }] },
        { role: 'tool', content: 'one', toolCallId: 'x' },
        { role: 'assistant', content: 'again', toolCalls: [{ id: 'x', name: 'second', arguments: '' }] },
        { role: 'tool', content: 'two', toolCallId: 'x' },
      ]);
      expect(body.contents[3]).toEqual({ role: 'model', parts: [{ text: 'again' }, { functionCall: { name: 'second', args: {}, id: 'x' } }] });
      expect(body.contents[4].parts[0].functionResponse.name).toBe('second');
    });

    test('a thoughtSignature kept on a tool call is sent back on its part (Gemini 3 requires it)', () => {
      const call = { id: 'c1', name: 'now', arguments: '{}', thoughtSignature: 'EpwICpkI' };
      const { request } = prepareRequest('gemini', [{ role: 'user', content: 'time?' }, { role: 'assistant', content: null, toolCalls: [call] }, { role: 'tool', content: '12:00', toolCallId: 'c1' }], { apiKey: 'k-1234' });
      expect((request.body as Body).contents[1].parts[0]).toEqual({ functionCall: { name: 'now', args: {}, id: 'c1' }, thoughtSignature: 'EpwICpkI' });
    });

    test('generationConfig: temperature, maxOutputTokens and the thinking option', () => {
      const body = bodyOf([{ role: 'user', content: 'Hi' }], { temperature: 0.2, maxTokens: 256, thinking: { budgetTokens: 1024, includeThoughts: true } });
      expect(body.generationConfig).toEqual({ temperature: 0.2, maxOutputTokens: 256, thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } });
      expect(bodyOf([{ role: 'user', content: 'Hi' }], { thinking: { budgetTokens: 0 } }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
      expect(bodyOf([{ role: 'user', content: 'Hi' }]).generationConfig).toBeUndefined();
    });

    test('tools as functionDeclarations with the JSON Schema; safetySettings and extraBody passed through', () => {
      const parameters = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] };
      const safetySettings = [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }];
      const body = bodyOf([{ role: 'user', content: 'Hi' }], {
        tools: [{ name: 'get_weather', description: 'Weather for a city', parameters }, { name: 'now' }],
        safetySettings,
        extraBody: { toolConfig: { functionCallingConfig: { mode: 'ANY' } } },
      });
      expect(body.tools).toEqual([
        { functionDeclarations: [{ name: 'get_weather', description: 'Weather for a city', parametersJsonSchema: parameters }, { name: 'now' }] },
      ]);
      expect(body.safetySettings).toEqual(safetySettings);
      expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    });

    test('a tool result that answers no earlier call is a ConfigError naming the message', async () => {
      const { error } = await collect(
        streamChat$('gemini', [{ role: 'user', content: 'Hi' }, { role: 'tool', content: '42', toolCallId: 'nope' }], { apiKey: 'k-1234' }),
      );
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).issues[0].path).toBe('messages.1.toolCallId');
      // a tool message with a name needs no earlier call
      expect(bodyOf([{ role: 'tool', content: '42', toolCallId: 'nope', name: 'answer' }]).contents[0].parts[0]).toEqual({
        functionResponse: { name: 'answer', response: { content: '42' }, id: 'nope' },
      });
    });

    test('call arguments that are not a JSON object are a ConfigError', () => {
      for (const args of ['{"city":', '[1,2]', 7]) {
        const messages: ChatMessage[] = [{ role: 'user', content: 'a' }, { role: 'assistant', content: null, toolCalls: [{ id: 'c', name: 'f', arguments: args }] }];
        expect(() => bodyOf(messages)).toThrow(/messages\.1\.toolCalls\.0\.arguments: expected a JSON object/);
      }
    });

    test('the sent request: path, query and header as the server sees them', async () => {
      const server = await startReplayServer();
      try {
        server.respondWith({ body: Buffer.from('data: {"candidates": [{"content": {"parts": [{"text": "ok"}],"role": "model"},"finishReason": "STOP"}]}\r\n\r\n') });
        const { error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'Hi' }], { baseURL: `${server.url}/v1beta`, apiKey: 'AIza-secret-1', model: 'gemini-2.0-flash' }));
        expect(error).toBeUndefined();
        const [received] = server.received;
        expect(received.path).toBe('/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse');
        expect(received.headers['x-goog-api-key']).toBe('AIza-secret-1');
        expect(received.headers['content-type']).toBe('application/json');
        expect(JSON.parse(received.body)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] });
      } finally {
        await server.close();
      }
    });
  });

  describe('API key', () => {
    const saved = process.env.GEMINI_API_KEY;
    afterEach(() => {
      if (saved === undefined) delete process.env.GEMINI_API_KEY;
      else process.env.GEMINI_API_KEY = saved;
    });

    test('read from GEMINI_API_KEY when not given', () => {
      process.env.GEMINI_API_KEY = 'AIza-from-env';
      expect(prepareRequest('gemini', [{ role: 'user', content: 'Hi' }], {}).request.headers['x-goog-api-key']).toBe('AIza-from-env');
    });

    test('none at the Gemini endpoint is a ConfigError that names the variable', () => {
      delete process.env.GEMINI_API_KEY;
      expect(() => prepareRequest('gemini', [{ role: 'user', content: 'Hi' }], {})).toThrow(/GEMINI_API_KEY/);
    });
  });

  describe('provider options', () => {
    const bad: Array<[string, Record<string, unknown>, string]> = [
      ['a budget that is not a number', { thinking: { budgetTokens: 'lots' } }, 'thinking.budgetTokens'],
      ['a budget below -1', { thinking: { budgetTokens: -5 } }, 'thinking.budgetTokens'],
      ['includeThoughts not a boolean', { thinking: { includeThoughts: 'yes' } }, 'thinking.includeThoughts'],
      ['a misspelt thinking option', { thinking: { budget: 1024 } }, 'thinking.budget'],
      ['a safety setting without threshold', { safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT' }] }, 'safetySettings.0.threshold'],
      ['an unknown provider option', { thinkingBudget: 1024 }, 'thinkingBudget'],
    ];
    for (const [what, given, path] of bad) {
      test(`${what} → ConfigError at ${path}, nothing sent`, async () => {
        const { chunks, error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'Hi' }], { apiKey: 'k-1234', baseURL: 'http://127.0.0.1:9', ...given }));
        expect(chunks).toEqual([]);
        expect(isConfigError(error)).toBe(true);
        expect((error as ConfigError).issues.map((i) => i.path)).toContain(path);
      });
    }

    test('good options pass', () => {
      expect(() =>
        prepareRequest('gemini', [{ role: 'user', content: 'Hi' }], {
          apiKey: 'k-1234',
          thinking: { budgetTokens: -1, includeThoughts: true },
          safetySettings: [{ category: 'HARM_CATEGORY_HATE_SPEECH', threshold: 'BLOCK_NONE' }],
        }),
      ).not.toThrow();
    });
  });

  describe('decoding (through the real pipeline)', () => {
    let server: Awaited<ReturnType<typeof startReplayServer>>;
    beforeAll(async () => {
      server = await startReplayServer();
    });
    afterAll(() => server.close());
    const replay = async (text: string, extra: Record<string, unknown> = {}) => {
      server.respondWith({ body: Buffer.from(text) });
      const { chunks, error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'x' }], { baseURL: server.url, apiKey: 'k-1234', ...extra }));
      const accumulator = createResponseAccumulator();
      for (const c of chunks) accumulator.add(c);
      return { chunks, error, response: accumulator.snapshot() };
    };
    const event = (value: unknown, eol = '\r\n') => `data: ${JSON.stringify(value)}${eol}${eol}`;
    const text = (t: string, extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { parts: [{ text: t }], role: 'model' }, ...extra }] });

    test('LF and bare-CR framing give the same answer as CRLF', async () => {
      const events = [text('Hello'), text(' world', { finishReason: 'STOP' })];
      const crlf = await replay(events.map((e) => event(e)).join(''));
      const lf = await replay(events.map((e) => event(e, '\n')).join(''));
      const cr = await replay(events.map((e) => event(e, '\r')).join(''));
      expect(crlf.response.content).toBe('Hello world');
      expect(lf.response).toEqual(crlf.response);
      expect(cr.response).toEqual(crlf.response);
      expect(cr.error).toBeUndefined();
    });

    test('an error event inside the stream: ProviderStreamError, retryable by status and code', async () => {
      const overloaded = await replay(event(text('Hi')) + event({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } }));
      expect(isProviderStreamError(overloaded.error)).toBe(true);
      const e = overloaded.error as ProviderStreamError;
      expect(e.message).toBe('gemini stream error (UNAVAILABLE): The model is overloaded. Please try again later.');
      expect([e.code, e.errorType, e.retryable]).toEqual([503, 'UNAVAILABLE', true]);
      expect(e.partial?.content).toBe('Hi');

      const invalid = await replay(event({ error: { code: 400, message: 'Bad field', status: 'INVALID_ARGUMENT' } }));
      expect((invalid.error as ProviderStreamError).retryable).toBe(false);
    });

    test('a bare JSON error after a finished answer still fails the stream', async () => {
      const body = event(text('Done.', { finishReason: 'STOP' })) + '{\n  "error": {\n    "code": 500,\n    "message": "Internal error encountered.",\n    "status": "INTERNAL"\n  }\n}\n';
      const { error, response } = await replay(body);
      expect(isProviderStreamError(error)).toBe(true);
      expect((error as ProviderStreamError).retryable).toBe(true);
      expect(response.finishReason).toBe('stop');
    });

    test('text that is not JSON: ParseError with the raw line', async () => {
      const bad = await replay(event(text('Hi')) + 'data: {"candidates": [\r\n\r\n');
      expect(isParseError(bad.error)).toBe(true);
      expect((bad.error as ParseError).kind).toBe('json');
      expect((bad.error as ParseError).raw).toBe('{"candidates": [');

      // text outside the SSE framing that is not JSON is ignored, as an EventSource ignores what it does not understand
      const cut = await replay(event(text('Hi', { finishReason: 'STOP' })) + '{\n  "error": {\n    "code": 500,\n');
      expect(cut.error).toBeUndefined();
      expect(cut.response.content).toBe('Hi');

      const shape = await replay(event({ candidates: 'none' }));
      expect((shape.error as ParseError).kind).toBe('schema');
    });

    test('SSE comments, other fields and [DONE] from a proxy are ignored', async () => {
      const { error, response } = await replay(': keep-alive\r\nevent: message\r\nid: 1\r\n' + event(text('ok', { finishReason: 'STOP' })) + 'data: [DONE]\r\n\r\n');
      expect(error).toBeUndefined();
      expect(response.content).toBe('ok');
    });

    test('a body that ends without a finish reason is cut short', async () => {
      const { error } = await replay(event(text('Half an ans')));
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as { retryable: boolean }).retryable).toBe(true);
      expect((error as { partial?: ChatResponse }).partial?.content).toBe('Half an ans');
    });

    test('finish reasons: MAX_TOKENS → length, SAFETY → content_filter with its ratings, MALFORMED_FUNCTION_CALL → error with its message', async () => {
      const length = await replay(event(text('abc', { finishReason: 'MAX_TOKENS' })));
      expect([length.response.finishReason, length.response.metadata.rawFinishReason]).toEqual(['length', 'MAX_TOKENS']);
      const ratings = [{ category: 'HARM_CATEGORY_HARASSMENT', probability: 'HIGH', blocked: true }];
      const safety = await replay(event({ candidates: [{ finishReason: 'SAFETY', safetyRatings: ratings }] }));
      expect(safety.response.finishReason).toBe('content_filter');
      expect(safety.response.metadata.safetyRatings).toEqual(ratings);
      const malformed = await replay(event({ candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'Malformed function call: print(' }] }));
      expect(malformed.response.finishReason).toBe('error');
      expect(malformed.response.metadata.finishMessage).toBe('Malformed function call: print(');
      expect(malformed.error).toBeUndefined();
    });

    test('usage: the last snapshot, on the chunk with the finish reason', async () => {
      const { chunks, response } = await replay(
        event({ ...text('a'), usageMetadata: { promptTokenCount: 15, totalTokenCount: 15 } }) +
          event({ ...text('b', { finishReason: 'STOP' }), usageMetadata: { promptTokenCount: 13, candidatesTokenCount: 2, totalTokenCount: 15, cachedContentTokenCount: 4 } }),
      );
      expect(chunks.map((c) => c.usage)).toEqual([undefined, { inputTokens: 13, outputTokens: 2, totalTokens: 15, cachedInputTokens: 4 }]);
      expect(response.usage).toEqual({ inputTokens: 13, outputTokens: 2, totalTokens: 15, cachedInputTokens: 4 });
    });

    test('CONTINUATION hops: followed with the same request and the token, one stream, usage summed, metrics count the hop', async () => {
      const usage = (prompt: number, out: number) => ({ promptTokenCount: prompt, candidatesTokenCount: out, totalTokenCount: prompt + out });
      server.respondWith({
        body: Buffer.from(
          event(text('def f():\n', { continuationToken: 'cp-1' })) +
            event({ candidates: [{ content: { parts: [{ text: '    return' }], role: 'model' }, finishReason: 'CONTINUATION', continuationToken: 'hop-2' }], usageMetadata: usage(10, 4) }),
        ),
      });
      server.respondWith({ body: Buffer.from(event({ ...text(' 1\n', { finishReason: 'STOP' }), usageMetadata: usage(14, 2) })) });
      const before = server.received.length;
      const metrics: StreamMetrics[] = [];
      const { chunks, error } = await collect(
        streamChat$('gemini', [{ role: 'user', content: 'x' }], { baseURL: server.url, apiKey: 'k-1234', onMetrics: (m: StreamMetrics) => metrics.push(m) }),
      );
      expect(error).toBeUndefined();
      const answer = createResponseAccumulator();
      chunks.forEach((c) => answer.add(c));
      expect(answer.snapshot()).toMatchObject({ content: 'def f():\n    return 1\n', finishReason: 'stop', usage: { inputTokens: 24, outputTokens: 6, totalTokens: 30 } });
      expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      expect(chunks.map((c) => c.metadata?.continuationToken)).toEqual(['cp-1', 'hop-2', undefined]);
      expect(chunks[2].metadata?.hop).toBe(1);
      const sent = server.received.slice(before).map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(sent.map((b) => b.continuationToken)).toEqual([undefined, 'hop-2']);
      expect(sent[1].contents).toEqual(sent[0].contents);
      expect(metrics[metrics.length - 1]).toMatchObject({ status: 'completed', hops: 1 });
    });

    test('CONTINUATION without a token cannot go on: finish other, as any unknown reason', async () => {
      const { response, error } = await replay(event(text('Half', { finishReason: 'CONTINUATION' })));
      expect(error).toBeUndefined();
      expect([response.finishReason, response.metadata.rawFinishReason]).toEqual(['other', 'CONTINUATION']);
    });

    test('a hop that ends with the token it was asked with made no progress: StreamInterruptedError, not a loop', async () => {
      const hop = event({ candidates: [{ content: { parts: [{ text: 'a' }], role: 'model' }, finishReason: 'CONTINUATION', continuationToken: 'same' }] });
      server.respondWith({ body: Buffer.from(hop) });
      server.respondWith({ body: Buffer.from(hop) });
      const { error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'x' }], { baseURL: server.url, apiKey: 'k-1234' }));
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as Error).message).toMatch(/hop 1 ended with the continuation token it started from/);
    });

    test('several calls in one event: one delta each, in order, with distinct stable ids', async () => {
      const body = event({
        candidates: [
          {
            content: { role: 'model', parts: [{ functionCall: { name: 'a', args: { x: 1 } } }, { executableCode: { code: 'print(1)' } }, { functionCall: { name: 'b' } }] },
            finishReason: 'STOP',
          },
        ],
        responseId: 'r1',
      });
      const first = await replay(body);
      expect(first.chunks[0].toolCalls).toEqual([
        { index: 0, id: 'gemini-call-r1-0', name: 'a', argumentsDelta: '{"x":1}' },
        { index: 1, id: 'gemini-call-r1-1', name: 'b', argumentsDelta: '{}' },
      ]);
      expect(first.response.finishReason).toBe('tool_calls');
      expect((await replay(body)).chunks[0].toolCalls).toEqual(first.chunks[0].toolCalls);
      expect(isGeneratedGeminiToolCallId('gemini-call-r1-0')).toBe(true);
      expect(isGeneratedGeminiToolCallId('96c1su3s')).toBe(false);
    });

    test('a Vertex streamed call: the name first, the assembled arguments when it ends', async () => {
      const part = (functionCall: unknown) => ({ candidates: [{ content: { role: 'model', parts: [{ functionCall }] } }] });
      const { chunks, response } = await replay(
        event(part({ name: 'plan', willContinue: true })) +
          event(part({ partialArgs: [{ jsonPath: '$.trip.city', stringValue: 'New ', willContinue: true }], willContinue: true })) +
          event(part({ partialArgs: [{ jsonPath: '$.trip.city', stringValue: 'York' }, { jsonPath: '$.days', numberValue: 3 }], willContinue: true })) +
          event(part({ partialArgs: [{ jsonPath: "$.stops[0]['name']", stringValue: 'MoMA' }, { jsonPath: '$.budget', nullValue: null }], willContinue: true })) +
          event({ candidates: [{ content: { role: 'model', parts: [{ functionCall: {} }] }, finishReason: 'STOP' }] }),
      );
      // the argument pieces emit nothing until the call ends
      expect(chunks).toHaveLength(2);
      expect(chunks[0].toolCalls).toEqual([{ index: 0, id: 'gemini-call-0', name: 'plan' }]);
      expect(chunks[1].toolCalls).toEqual([{ index: 0, argumentsDelta: '{"trip":{"city":"New York"},"days":3,"stops":[{"name":"MoMA"}],"budget":null}' }]);
      expect(response.toolCalls).toHaveLength(1);
      expect(response.toolCalls[0].arguments).toEqual({ trip: { city: 'New York' }, days: 3, stops: [{ name: 'MoMA' }], budget: null });
      expect(response.finishReason).toBe('tool_calls');
    });

    test('thought signatures: each on the call of the part it came with, kept by toResponse for the next turn', async () => {
      // Gemini 3 signs the first call of a step (google-tool-call-gemini3-signature.txt); a parallel call has none
      const body =
        event({ candidates: [{ content: { role: 'model', parts: [{ text: 'Je regarde… ' , thoughtSignature: 'sigText' }] } }], responseId: 'r3' }) +
        event({
          candidates: [
            {
              content: { role: 'model', parts: [{ functionCall: { name: 'a', args: { q: '東京' }, id: 'fc1' }, thoughtSignature: 'sigA' }, { functionCall: { name: 'b', args: {}, id: 'fc2' } }] },
            },
          ],
          responseId: 'r3',
        }) +
        event({ candidates: [{ content: { role: 'model', parts: [{ text: '', thoughtSignature: 'sigEnd' }] }, finishReason: 'STOP' }], responseId: 'r3' });
      const { chunks, response } = await replay(body);
      expect(chunks.flatMap((c) => c.toolCalls ?? [])).toEqual([
        { index: 0, id: 'fc1', name: 'a', argumentsDelta: '{"q":"東京"}', thoughtSignature: 'sigA' },
        { index: 1, id: 'fc2', name: 'b', argumentsDelta: '{}' },
      ]);
      expect(response.toolCalls.map((c) => [c.id, c.thoughtSignature])).toEqual([
        ['fc1', 'sigA'],
        ['fc2', undefined],
      ]);
      // every signature, in order, stays in the metadata as before
      expect(response.metadata.thoughtSignatures).toEqual(['sigText', 'sigA', 'sigEnd']);
      // and the calls go back with theirs
      const sent = bodyOf([
        { role: 'user', content: 'q' },
        { role: 'assistant', content: response.content, toolCalls: response.toolCalls.map((c) => ({ ...c, id: c.id!, name: c.name! })) },
      ]);
      expect(sent.contents[1].parts).toEqual([
        { text: 'Je regarde… ' },
        { functionCall: { name: 'a', args: { q: '東京' }, id: 'fc1' }, thoughtSignature: 'sigA' },
        { functionCall: { name: 'b', args: {}, id: 'fc2' } },
      ]);
    });

    test('a Vertex streamed call keeps the signature of its first part', async () => {
      const part = (functionCall: unknown, extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { role: 'model', parts: [{ functionCall, ...extra }] } }] });
      const { response } = await replay(
        event(part({ name: 'plan', willContinue: true }, { thoughtSignature: 'sigV' })) +
          event(part({ partialArgs: [{ jsonPath: '$.city', stringValue: 'Genève' }], willContinue: true })) +
          event({ candidates: [{ content: { role: 'model', parts: [{ functionCall: {} }] }, finishReason: 'STOP' }] }),
      );
      expect(response.toolCalls.map((c) => [c.name, c.arguments, c.thoughtSignature])).toEqual([['plan', { city: 'Genève' }, 'sigV']]);
    });

    test('a Vertex call whose arguments come whole as partialArgs in one part, without willContinue (js-genai recording)', async () => {
      // external fixture genai-chats-chats-function-calling-vertex-ai-with-streaming-function-calling-arguments-stream-0
      const { chunks, response } = await replay(
        event({
          candidates: [
            {
              content: {
                role: 'model',
                parts: [{ functionCall: { name: 'customDivide', partialArgs: [{ jsonPath: '$.denominator', numberValue: 2 }, { jsonPath: '$.numerator', numberValue: 100 }] } }],
              },
              finishReason: 'STOP',
            },
          ],
        }),
      );
      expect(chunks[0].toolCalls).toEqual([{ index: 0, id: 'gemini-call-0', name: 'customDivide', argumentsDelta: '{"denominator":2,"numerator":100}' }]);
      expect(response.toolCalls[0].arguments).toEqual({ denominator: 2, numerator: 100 });
    });

    test('a Vertex streamed call whose first part carries pieces and whose last piece ends it without an empty part', async () => {
      const part = (functionCall: unknown, extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { role: 'model', parts: [{ functionCall }] }, ...extra }] });
      const { response } = await replay(
        event(part({ name: 'search', partialArgs: [{ jsonPath: '$.query', stringValue: '東京 ', willContinue: true }], willContinue: true })) +
          event(part({ partialArgs: [{ jsonPath: '$.query', stringValue: '天気 ☀️' }], willContinue: true })) +
          event(part({ partialArgs: [{ jsonPath: '$.limit', numberValue: 5 }] })) +
          event(part({ name: 'noop', args: {} }, { finishReason: 'STOP' })),
      );
      expect(response.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
        ['search', { query: '東京 天気 ☀️', limit: 5 }],
        ['noop', {}],
      ]);
    });
  });

  describe('helpers', () => {
    test('mapGeminiFinishReason', () => {
      const table: Array<[string, string]> = [
        ['STOP', 'stop'],
        ['MAX_TOKENS', 'length'],
        ['SAFETY', 'content_filter'],
        ['RECITATION', 'content_filter'],
        ['BLOCKLIST', 'content_filter'],
        ['PROHIBITED_CONTENT', 'content_filter'],
        ['SPII', 'content_filter'],
        ['IMAGE_SAFETY', 'content_filter'],
        ['MALFORMED_FUNCTION_CALL', 'error'],
        ['LANGUAGE', 'other'],
        ['OTHER', 'other'],
        ['FINISH_REASON_UNSPECIFIED', 'other'],
        ['SOMETHING_NEW', 'other'],
      ];
      for (const [raw, mapped] of table) expect([raw, mapGeminiFinishReason(raw)]).toEqual([raw, mapped]);
      expect(mapGeminiFinishReason('STOP', true)).toBe('tool_calls');
      expect(mapGeminiFinishReason('MAX_TOKENS', true)).toBe('length');
    });

    test('convertGeminiUsage: output = candidates + thoughts; absent counts stay absent', () => {
      expect(convertGeminiUsage({ promptTokenCount: 10, candidatesTokenCount: 48, totalTokenCount: 598, thoughtsTokenCount: 540 })).toEqual({
        inputTokens: 10,
        outputTokens: 588,
        totalTokens: 598,
        reasoningTokens: 540,
      });
      expect(convertGeminiUsage({ promptTokenCount: 9, totalTokenCount: 9 })).toEqual({ inputTokens: 9, totalTokens: 9 });
      expect(convertGeminiUsage({})).toEqual({});
    });

    test('convertGeminiUsage: the tool-use prompt is input, so input + output = total (js-genai server-side MCP recording)', () => {
      const usage = convertGeminiUsage({ promptTokenCount: 22, toolUsePromptTokenCount: 124, candidatesTokenCount: 101, thoughtsTokenCount: 573, totalTokenCount: 820 });
      expect(usage).toEqual({ inputTokens: 146, outputTokens: 674, totalTokens: 820, reasoningTokens: 573 });
      expect(usage.inputTokens! + usage.outputTokens!).toBe(usage.totalTokens);
      // cached tokens are a part of the prompt, not added again
      expect(
        convertGeminiUsage({ promptTokenCount: 1844, cachedContentTokenCount: 901, toolUsePromptTokenCount: 1934, candidatesTokenCount: 432, thoughtsTokenCount: 91, totalTokenCount: 4301 }),
      ).toEqual({ inputTokens: 3778, outputTokens: 523, totalTokens: 4301, reasoningTokens: 91, cachedInputTokens: 901 });
      // Google's JSON leaves zeros out: a turn cut while thinking has no candidates count
      expect(convertGeminiUsage({ promptTokenCount: 12, thoughtsTokenCount: 64, totalTokenCount: 76 })).toEqual({ inputTokens: 12, outputTokens: 64, totalTokens: 76, reasoningTokens: 64 });
      // Vertex's partial-args snapshots carry no count at all
      expect(convertGeminiUsage({ trafficType: 'ON_DEMAND' } as never)).toEqual({});
    });

    test('geminiSourceCitations: byte ranges as spans of the text, none where the range is not on it; dates; no URI nor title left out', () => {
      const answer = 'Ça va? 😀 Très bien.';
      const bytesTo = (i: number) => Buffer.byteLength(answer.slice(0, i));
      const at = answer.indexOf('Très');
      expect(
        geminiSourceCitations(
          [
            { uri: 'https://a.example', startIndex: bytesTo(at), endIndex: bytesTo(answer.length), publicationDate: { year: 2025, month: 11, day: 9 } },
            // Firebase's recitation recording: offsets far past its (replaced) text
            { uri: 'https://www.google.com/', startIndex: 793, endIndex: 1341 },
            // inside the emoji's bytes
            { title: 'Book', startIndex: 9, endIndex: 12, publicationDate: { year: 1999 } },
            { license: 'mit', startIndex: 0, endIndex: 2 },
          ],
          answer,
        ),
      ).toEqual([
        { url: 'https://a.example', date: '2025-11-09', span: { start: at, end: answer.length } },
        { url: 'https://www.google.com/' },
        { title: 'Book', date: '1999' },
      ]);
    });

    test('geminiGroundingCitations: an absent startIndex is 0; a chunk index out of range and a chunk without URI are skipped', () => {
      const answer = 'Zürich: 4 °C.';
      expect(
        geminiGroundingCitations(
          {
            groundingChunks: [{ web: { uri: 'https://w.example', title: 'w' } }, { web: { title: 'no uri' } }],
            groundingSupports: [{ segment: { endIndex: Buffer.byteLength('Zürich:'), text: 'Zürich:' }, groundingChunkIndices: [0, 1, 5] }],
          },
          answer,
        ),
      ).toEqual([{ url: 'https://w.example', title: 'w', span: { start: 0, end: 7, text: 'Zürich:' } }]);
      expect(geminiGroundingCitations({ groundingChunks: [] }, answer)).toEqual([]);
    });

    test('parseJsonPath and GeminiPartialArgs', () => {
      expect(parseJsonPath('$.a.b[2]["c d"]')).toEqual(['a', 'b', 2, 'c d']);
      expect(parseJsonPath('a.b')).toEqual([]);
      expect(parseJsonPath('$.a[x]')).toEqual([]);
      const args = new GeminiPartialArgs();
      args.apply({ jsonPath: '$.q', stringValue: 'ab', willContinue: true });
      args.apply({ jsonPath: '$.q', stringValue: 'cd' });
      args.apply({ jsonPath: '$.q2', stringValue: 'x' });
      args.apply({ jsonPath: '$.q2', stringValue: 'y' }); // not continued: replaces
      args.apply({ jsonPath: '$.ok', boolValue: false });
      expect(JSON.parse(args.toJSON())).toEqual({ q: 'abcd', q2: 'y', ok: false });
    });
  });
});
