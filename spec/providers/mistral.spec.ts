import { isConfigError, type Chunk, type ConfigError } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { mistral } from '../../providers/mistral';
import { mistralOptionsToBody } from '../../providers/mistral/mistralOptions';

const user = (content: string) => [{ role: 'user' as const, content }];

/** Feeds payloads (objects, or raw strings such as `[DONE]`) to a fresh Mistral decoder. */
function decode(...events: Array<Record<string, unknown> | string>) {
  const chunks: Chunk[] = [];
  const decoder = mistral.createDecoder({ provider: 'mistral', emit: (c) => chunks.push(c) });
  for (const e of events) decoder.onEvent({ data: typeof e === 'string' ? e : JSON.stringify(e) });
  return { chunks, decoder };
}

const payload = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  id: '548ed34ecc7f4a6aa69187e16761bf0c',
  object: 'chat.completion.chunk',
  created: 1787150060,
  model: 'mistral-small-latest',
  choices: [{ index: 0, delta, finish_reason: finish }],
  ...extra,
});

describe('mistral provider', () => {
  test('Mistral’s endpoint, model and key variable; a key is required there', () => {
    expect(mistral.id).toBe('mistral');
    expect(mistral.defaultBaseURL).toBe('https://api.mistral.ai/v1');
    expect(mistral.defaultModel).toBe('mistral-small-latest');
    expect(mistral.apiKeyEnv).toBe('MISTRAL_API_KEY');
    expect(mistral.requiresApiKey).toBe(true);
    expect(mistral.framing).toBe('sse');
  });

  describe('request', () => {
    test('POST {baseURL}/chat/completions with a Bearer key, stream: true and NO stream_options (Mistral refuses it)', () => {
      const { request } = prepareRequest('mistral', user('Count from 1 to 3'), { apiKey: 'mistral-key-4711' });
      expect(request.url).toBe('https://api.mistral.ai/v1/chat/completions');
      expect(request.method).toBe('POST');
      expect(request.headers).toEqual({ accept: 'text/event-stream', authorization: 'Bearer mistral-key-4711' });
      expect(request.body).toEqual({ model: 'mistral-small-latest', messages: [{ role: 'user', content: 'Count from 1 to 3' }], stream: true });
      expect(request.body).not.toHaveProperty('stream_options');
    });

    test('maxTokens → max_tokens (never max_completion_tokens, which Mistral refuses), temperature as is', () => {
      const { request } = prepareRequest('mistral', user('Hi'), { apiKey: 'k', maxTokens: 64, temperature: 0.3 });
      expect(request.body).toMatchObject({ max_tokens: 64, temperature: 0.3 });
      expect(request.body).not.toHaveProperty('max_completion_tokens');
    });

    test('safePrompt → safe_prompt, true or false; absent when not given', () => {
      expect(prepareRequest('mistral', user('Hi'), { apiKey: 'k', safePrompt: true }).request.body).toMatchObject({ safe_prompt: true });
      expect(prepareRequest('mistral', user('Hi'), { apiKey: 'k', safePrompt: false }).request.body).toMatchObject({ safe_prompt: false });
      expect(prepareRequest('mistral', user('Hi'), { apiKey: 'k' }).request.body).not.toHaveProperty('safe_prompt');
      expect(mistralOptionsToBody({})).toEqual({});
    });

    test('a safePrompt that is not a boolean is a ConfigError naming it', () => {
      let error: unknown;
      try {
        prepareRequest('mistral', user('Hi'), { apiKey: 'k', safePrompt: 'yes' });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).issues[0]).toMatchObject({ path: 'safePrompt', got: '"yes"' });
    });

    test('without a key at Mistral’s own endpoint: a ConfigError naming MISTRAL_API_KEY', () => {
      const saved = process.env.MISTRAL_API_KEY;
      delete process.env.MISTRAL_API_KEY;
      try {
        expect(() => prepareRequest('mistral', user('Hi'), {})).toThrow(/MISTRAL_API_KEY/);
        // a proxy or the mock server needs none
        expect(() => prepareRequest('mistral', user('Hi'), { baseURL: 'http://127.0.0.1:9/v1' })).not.toThrow();
      } finally {
        if (saved !== undefined) process.env.MISTRAL_API_KEY = saved;
      }
    });
  });

  describe('decoder', () => {
    test('the finish chunk keeps its text and carries the usage, once', () => {
      const { chunks, decoder } = decode(
        payload({ role: 'assistant', content: '' }),
        payload({ content: '1, 2,' }),
        payload({ content: ' 3' }, 'stop', { usage: { prompt_tokens: 22, total_tokens: 30, completion_tokens: 8, prompt_tokens_details: { cached_tokens: 0 } } }),
        '[DONE]',
      );
      expect(decoder.done).toBe(true);
      expect(chunks.map((c) => c.content)).toEqual(['1, 2,', ' 3']);
      expect(chunks[1]).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 22, outputTokens: 8, totalTokens: 30, cachedInputTokens: 0 } });
      expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    });

    test('finish_reason "error" ends the answer with finish reason error (raw value kept)', () => {
      const { chunks } = decode(payload({ content: 'Partial' }), payload({ content: '' }, 'error'), '[DONE]');
      expect(chunks[chunks.length - 1]).toMatchObject({ finishReason: 'error', metadata: { rawFinishReason: 'error' } });
    });

    test('whole tool calls without index take their position in the array', () => {
      const { chunks } = decode(
        payload(
          {
            content: null,
            tool_calls: [
              { id: 'gSIMJiOkT', function: { name: 'weather', arguments: '{"location": "Paris"}' } },
              { id: 'h7TNkPlQa', function: { name: 'weather', arguments: '{"location": "Rome"}' } },
            ],
          },
          'tool_calls',
        ),
        '[DONE]',
      );
      expect(chunks[0].toolCalls).toEqual([
        { index: 0, id: 'gSIMJiOkT', name: 'weather', argumentsDelta: '{"location": "Paris"}' },
        { index: 1, id: 'h7TNkPlQa', name: 'weather', argumentsDelta: '{"location": "Rome"}' },
      ]);
      expect(chunks[0].finishReason).toBe('tool_calls');
    });

    test('a continuation fragment with "name": "" and no id extends the call; a new id at a used index is a new call', () => {
      const { chunks } = decode(
        payload({ tool_calls: [{ id: 'aaaaaaaaa', type: 'function', function: { name: 'search', arguments: '' }, index: 0 }] }),
        payload({ tool_calls: [{ type: 'function', function: { name: '', arguments: '{"q": 1}' }, index: 0 }] }),
        payload({ tool_calls: [{ id: 'bbbbbbbbb', type: 'function', function: { name: 'search', arguments: '{"q": 2}' }, index: 0 }] }),
      );
      expect(chunks.map((c) => c.toolCalls)).toEqual([
        [{ index: 0, id: 'aaaaaaaaa', name: 'search' }],
        [{ index: 0, argumentsDelta: '{"q": 1}' }],
        [{ index: 1, id: 'bbbbbbbbb', name: 'search', argumentsDelta: '{"q": 2}' }],
      ]);
    });

    test('content arrays: thinking parts → reasoning, text parts → content, both from one delta', () => {
      const { chunks } = decode(
        payload({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: '12 * 12 = 144' }] }] }),
        payload({ content: [{ type: 'thinking', thinking: [{ type: 'text', text: '.' }], closed: true }, { type: 'text', text: '1' }] }),
        payload({ content: '44' }, 'stop'),
      );
      expect(chunks.map((c) => [c.reasoning, c.content])).toEqual([
        ['12 * 12 = 144', undefined],
        ['.', '1'],
        [undefined, '44'],
      ]);
    });

    test('a body that ends without [DONE] or a finish reason is truncated', () => {
      const { decoder } = decode(payload({ content: 'Hel' }));
      expect(() => decoder.onEnd()).toThrow(expect.objectContaining({ name: 'StreamInterruptedError' }));
    });
  });
});
