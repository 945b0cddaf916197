import { createResponseAccumulator, isConfigError, isHttpError, isStreamInterruptedError, streamChat$ } from '../../lib';
import { azure } from '../../providers/azure/azure';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const KEY = 'azure-key-7f3c9e1d2b';
const user = [{ role: 'user' as const, content: 'Capital of Denmark?' }];
const resolved = (extra: Record<string, unknown>) => ({ model: 'gpt-4o-mini', baseURL: 'https://acme.openai.azure.com/openai/v1', apiKey: KEY, ...extra });

describe('azure provider (Chat Completions)', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const read = async (options: Record<string, unknown>) => {
    const { chunks, error } = await collect(streamChat$(azure, user, { apiKey: KEY, ...options }));
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    return { response: fold.snapshot(), error, chunks };
  };

  test('the v1 form: {baseURL}/chat/completions, the deployment as model, the key as api-key (no Bearer), usage asked for', () => {
    const request = azure.buildRequest(user, resolved({ model: 'my-gpt4o', maxTokens: 300 }));
    expect(request.url).toBe('https://acme.openai.azure.com/openai/v1/chat/completions');
    expect(request.headers).toEqual({ accept: 'text/event-stream', 'api-key': KEY });
    expect(request.body).toMatchObject({ model: 'my-gpt4o', stream: true, stream_options: { include_usage: true }, max_completion_tokens: 300 });
  });

  test('the dated form: {baseURL}/deployments/{deployment}/chat/completions?api-version=…', () => {
    const request = azure.buildRequest(user, resolved({ baseURL: 'https://acme.openai.azure.com/openai', deployment: 'gpt 4o', apiVersion: '2024-10-21' }));
    expect(request.url).toBe('https://acme.openai.azure.com/openai/deployments/gpt%204o/chat/completions?api-version=2024-10-21');
  });

  test('a missing endpoint, or deployment and apiVersion apart, is a ConfigError naming the option, and nothing is sent', async () => {
    const before = server.received.length;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'baseURL'],
      [{ baseURL: `${server.url}/openai`, apiVersion: '2024-10-21' }, 'deployment'],
      [{ baseURL: `${server.url}/openai`, deployment: 'gpt4o' }, 'apiVersion'],
    ];
    for (const [options, path] of cases) {
      const { error } = await read(options);
      expect(isConfigError(error)).toBe(true);
      expect(error).toMatchObject({ issues: [expect.objectContaining({ path })] });
      expect((error as Error).message).toContain('openai.azure.com/openai/v1');
    }
    expect(server.received.length).toBe(before);
  });

  test("Azure's content filter stopping the answer: finish content_filter, the text before it kept", async () => {
    const chunk = (choices: unknown[], extra: object = {}) => `data: ${JSON.stringify({ id: 'chatcmpl-1', model: 'gpt-4o', object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
    const filter = (flag: boolean) => ({ hate: { filtered: false, severity: 'safe' }, violence: { filtered: flag, severity: flag ? 'high' : 'safe' } });
    const body = [
      `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: filter(false) }] })}\n\n`,
      chunk([{ index: 0, delta: { role: 'assistant', content: 'The plan:\n  1. ' }, finish_reason: null, content_filter_results: filter(false) }]),
      chunk([{ index: 0, delta: {}, finish_reason: 'content_filter', content_filter_results: filter(true) }]),
      chunk([{ index: 0, finish_reason: null, content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 14 }, content_filter_results: filter(true) }]),
      'data: [DONE]\n\n',
    ].join('');
    server.respondWith({ body: Buffer.from(body) });
    const { response, error } = await read({ baseURL: `${server.url}/openai/v1` });
    expect(error).toBeUndefined();
    expect(response.content).toBe('The plan:\n  1. ');
    expect(response.finishReason).toBe('content_filter');
  });

  test('the key reaches no error: a 401 that echoes it', async () => {
    server.respondWith({ status: 401, contentType: 'application/json', body: Buffer.from(JSON.stringify({ error: { code: '401', message: `Access denied due to invalid subscription key ${KEY}.` } })) });
    const { error } = await read({ baseURL: `${server.url}/openai/v1` });
    expect(isHttpError(error)).toBe(true);
    expect((error as { status: number }).status).toBe(401);
    const seen = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)} ${JSON.stringify((error as { body?: unknown }).body ?? null)}`;
    expect(seen).toContain('Access denied');
    expect(seen).not.toContain(KEY);
  });
  describe('Entra ID tokens (azureADTokenProvider)', () => {
    const sse = (text: string, finish: boolean) =>
      Buffer.from(
        `data: ${JSON.stringify({ id: 'chatcmpl-2', model: 'gpt-4o', choices: [{ index: 0, delta: { content: text }, finish_reason: null }] })}\n\n` +
          (finish ? `data: ${JSON.stringify({ id: 'chatcmpl-2', model: 'gpt-4o', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n` : ''),
      );
    const tokens = () => {
      const made: string[] = [];
      return { made, provider: async () => (made.push(`eyJ.entra-token-${made.length + 1}`), made[made.length - 1]) };
    };

    test('asked for on every request, sent as Bearer instead of the key — the continuation of a broken stream gets a fresh one', async () => {
      const { made, provider } = tokens();
      const before = server.received.length;
      server.respondWith({ body: sse('def f():\n    return 1', false) });
      server.respondWith({ body: sse('\n', true) });
      const { chunks, error } = await collect(
        streamChat$(azure, user, { apiKey: KEY, baseURL: `${server.url}/openai/v1`, azureADTokenProvider: provider, streamRecovery: true, recovery: { delay: 0 } }),
      );
      expect(error).toBeUndefined();
      expect(chunks.map((c) => c.content ?? '').join('')).toContain('def f():\n    return 1');
      const sent = server.received.slice(before);
      expect(made).toEqual(['eyJ.entra-token-1', 'eyJ.entra-token-2']);
      expect(sent.map((r) => r.headers.authorization)).toEqual(['Bearer eyJ.entra-token-1', 'Bearer eyJ.entra-token-2']);
      expect(sent.every((r) => r.headers['api-key'] === undefined)).toBe(true);
    });

    test('the token reaches no error: a 401 that echoes it', async () => {
      const { made, provider } = tokens();
      server.respondWith({ status: 401, contentType: 'application/json', body: Buffer.from(JSON.stringify({ error: { code: '401', message: 'Token eyJ.entra-token-1 has expired.' } })) });
      const { error } = await collect(streamChat$(azure, user, { baseURL: `${server.url}/openai/v1`, azureADTokenProvider: provider }));
      expect(made).toHaveLength(1);
      expect(isHttpError(error)).toBe(true);
      const seen = `${String(error)} ${(error as Error).stack} ${JSON.stringify(error)}`;
      expect(seen).toContain('has expired');
      expect(seen).not.toContain('eyJ.entra-token-1');
    });

    test('a token provider that fails or makes an empty token: the stream fails with the reason, nothing is sent; one that is not a function is a ConfigError', async () => {
      const before = server.received.length;
      const { error } = await collect(
        streamChat$(azure, user, { baseURL: `${server.url}/openai/v1`, azureADTokenProvider: () => Promise.reject(new Error('AADSTS700016: application not found')) }),
      );
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as Error).message).toContain("the request's credentials could not be made: AADSTS700016");
      const empty = await collect(streamChat$(azure, user, { baseURL: `${server.url}/openai/v1`, azureADTokenProvider: async () => '' }));
      expect(isStreamInterruptedError(empty.error)).toBe(true);
      expect((empty.error as Error).message).toContain('azureADTokenProvider returned no token (got an empty string)');
      const bad = await collect(streamChat$(azure, user, { baseURL: `${server.url}/openai/v1`, azureADTokenProvider: 'eyJ.not-a-function' as never }));
      expect(isConfigError(bad.error)).toBe(true);
      expect((bad.error as Error).message).toContain('azureADTokenProvider');
      expect((bad.error as Error).message).not.toContain('eyJ.not-a-function');
      expect(server.received.length).toBe(before);
    });
  });
});
