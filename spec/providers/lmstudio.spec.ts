import { isConfigError, isProviderStreamError, type Chunk, type ConfigError } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { lmstudio } from '../../providers/lmstudio';
import { lmstudioPath } from '../../providers/lmstudio/lmstudioOptions';

const user = (content: string) => [{ role: 'user' as const, content }];

/** Feeds payloads (objects, or raw strings such as `[DONE]`) to a fresh LM Studio decoder. */
function decode(...events: Array<Record<string, unknown> | string>) {
  const chunks: Chunk[] = [];
  const decoder = lmstudio.createDecoder({ provider: 'lmstudio', emit: (c) => chunks.push(c) });
  for (const e of events) decoder.onEvent({ data: typeof e === 'string' ? e : JSON.stringify(e) });
  return { chunks, decoder };
}

const envelope = { id: 'chatcmpl-um3b2l9t12bzrtha63q8', object: 'chat.completion.chunk', created: 1747835957, model: 'qwen3-4b', system_fingerprint: 'qwen3-4b' };
const payload = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) => ({
  ...envelope,
  choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  ...extra,
});

const STATS = { tokens_per_second: 51.43709529007664, time_to_first_token: 0.111, generation_time: 0.954, stop_reason: 'eosFound' };
const MODEL_INFO = { arch: 'granite', quant: 'Q4_K_M', format: 'gguf', context_length: 4096 };
const RUNTIME = { name: 'llama.cpp-mac-arm64-apple-metal-advsimd', version: '1.3.0', supported_formats: ['gguf'] };

describe('lmstudio provider', () => {
  test('local: http://localhost:1234, no key required, LM_API_TOKEN when auth is on', () => {
    expect(lmstudio.id).toBe('lmstudio');
    expect(lmstudio.defaultBaseURL).toBe('http://localhost:1234');
    expect(lmstudio.requiresApiKey).toBe(false);
    expect(lmstudio.apiKeyEnv).toBe('LM_API_TOKEN');
  });

  describe('request', () => {
    const saved = process.env.LM_API_TOKEN;
    beforeEach(() => delete process.env.LM_API_TOKEN);
    afterAll(() => {
      if (saved !== undefined) process.env.LM_API_TOKEN = saved;
    });

    test('OpenAI-compatible by default: POST /v1/chat/completions with include_usage, no auth header without a key', () => {
      const { request } = prepareRequest('lmstudio', user('Hi'), { maxTokens: 32 });
      expect(request.url).toBe('http://localhost:1234/v1/chat/completions');
      expect(request.headers).toEqual({ accept: 'text/event-stream' });
      expect(request.body).toEqual({
        model: 'qwen/qwen3-4b',
        messages: [{ role: 'user', content: 'Hi' }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 32,
      });
    });

    test("native: 'v0' → the REST v0 API, POST /api/v0/chat/completions (native is not sent in the body; native: true is REST v1, see lmstudioV1.spec.ts)", () => {
      const { request } = prepareRequest('lmstudio', user('Hi'), { native: 'v0', baseURL: 'http://gpu-box:1234/' });
      expect(request.url).toBe('http://gpu-box:1234/api/v0/chat/completions');
      expect(prepareRequest('lmstudio', user('Hi'), { native: true, baseURL: 'http://gpu-box:1234/' }).request.url).toBe('http://gpu-box:1234/api/v1/chat');
      expect(request.body).not.toHaveProperty('native');
      expect(prepareRequest('lmstudio', user('Hi'), { native: false }).request.url).toBe('http://localhost:1234/v1/chat/completions');
      expect(lmstudioPath({})).toBe('/v1/chat/completions');
    });

    test('a token from LM_API_TOKEN (or apiKey) is sent as a Bearer token', () => {
      process.env.LM_API_TOKEN = 'lm-token-from-env';
      expect(prepareRequest('lmstudio', user('Hi'), {}).request.headers.authorization).toBe('Bearer lm-token-from-env');
      expect(prepareRequest('lmstudio', user('Hi'), { apiKey: 'lm-given' }).request.headers.authorization).toBe('Bearer lm-given');
    });

    test("native that is not a boolean, 'v1' or 'v0' is a ConfigError naming it", () => {
      let error: unknown;
      try {
        prepareRequest('lmstudio', user('Hi'), { native: 'v2' as never });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).issues[0]).toMatchObject({ path: 'native', got: '"v2"' });
    });
  });

  describe('decoder', () => {
    test('stats, model_info and runtime on the final chunk → metadata.stats / modelInfo / runtime, camelCased', () => {
      const { chunks } = decode(
        payload({ role: 'assistant', content: 'Hello' }),
        payload({}, 'stop', { stats: STATS, model_info: MODEL_INFO, runtime: RUNTIME }),
        '[DONE]',
      );
      const last = chunks[chunks.length - 1];
      expect(last.finishReason).toBe('stop');
      expect(last.metadata).toEqual({
        rawFinishReason: 'stop',
        stats: { tokensPerSecond: 51.43709529007664, timeToFirstTokenSeconds: 0.111, generationTimeSeconds: 0.954, stopReason: 'eosFound' },
        modelInfo: { arch: 'granite', quant: 'Q4_K_M', format: 'gguf', contextLength: 4096 },
        runtime: { name: 'llama.cpp-mac-arm64-apple-metal-advsimd', version: '1.3.0', supportedFormats: ['gguf'] },
      });
      expect(chunks[0].metadata).toBeUndefined();
    });

    test('stats on a choices: [] chunk of their own (with the usage) still reach the subscriber; speculative-decoding counts too', () => {
      const { chunks } = decode(
        payload({ content: 'Hi' }, 'stop'),
        {
          ...envelope,
          choices: [],
          usage: { prompt_tokens: 17, completion_tokens: 2, total_tokens: 19 },
          stats: { ...STATS, draft_model: 'qwen3-0.6b', total_draft_tokens_count: 10, accepted_draft_tokens_count: 7, rejected_draft_tokens_count: 2, ignored_draft_tokens_count: 1 },
        },
        '[DONE]',
      );
      expect(chunks).toHaveLength(2);
      expect(chunks[1].usage).toEqual({ inputTokens: 17, outputTokens: 2, totalTokens: 19 });
      expect(chunks[1].metadata?.stats).toMatchObject({ draftModel: 'qwen3-0.6b', totalDraftTokens: 10, acceptedDraftTokens: 7, rejectedDraftTokens: 2, ignoredDraftTokens: 1 });
    });

    test('an empty "stats": {} adds nothing; the finish reason comes from finish_reason, not stop_reason', () => {
      const { chunks } = decode(payload({ content: 'x' }, 'length', { stats: {} }), payload({}, null, { stats: { stop_reason: 'eosFound' } }));
      expect(chunks[0].metadata).toEqual({ rawFinishReason: 'length' });
      expect(chunks[0].finishReason).toBe('length');
      expect(chunks[1].finishReason).toBeUndefined();
    });

    test('reasoning_content → reasoning (role repeated on every delta), an inline leading <think> block too', () => {
      expect(decode(payload({ role: 'assistant', reasoning_content: 'le' }), payload({ role: 'assistant', reasoning_content: '? An' })).chunks.map((c) => c.reasoning)).toEqual(['le', '? An']);
      const inline = decode(payload({ content: '<think>' }), payload({ content: 'Hmm' }), payload({ content: '</think>\n\nHello' }), payload({}, 'stop'));
      expect(inline.chunks.map((c) => c.reasoning ?? '').join('')).toBe('Hmm');
      expect(inline.chunks.map((c) => c.content ?? '').join('')).toBe('\n\nHello');
    });

    test('an in-stream {"error": {"message"}} is a ProviderStreamError', () => {
      expect(() => decode(payload({ content: 'a' }), { error: { message: 'Model unloaded' } })).toThrow(expect.objectContaining({ name: 'ProviderStreamError' }));
      let error: unknown;
      try {
        decode({ error: { message: 'Model unloaded' } });
      } catch (e) {
        error = e;
      }
      expect(isProviderStreamError(error) && error.message).toMatch(/Model unloaded/);
    });
  });
});
