import { inspect } from 'node:util';
import { isHttpError, streamChat$, type HttpError } from '../../lib';
import { collect } from '../support/collect';
import { fixtureBytes } from '../support/fixtures';
import { startReplayServer } from '../support/replayServer';

/**
 * Each provider's recorded HTTP error body, answered by a loopback server, becomes an `HttpError`
 * with the parsed body, a readable message, the right retry advice, and no trace of the key.
 */
describe('recorded HTTP error bodies', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => (server = await startReplayServer()));
  afterAll(() => server.close());

  const errorFor = async (provider: 'anthropic' | 'gemini' | 'ollama', file: string, status: number, apiKey: string, baseURL = server.url) => {
    const body = fixtureBytes(file);
    server.respondWith({ status, contentType: 'application/json; charset=utf-8', body });
    const { chunks, error } = await collect(streamChat$(provider, [{ role: 'user', content: 'Hi' }], { baseURL, apiKey, model: provider === 'ollama' ? 'llama3.2' : undefined }));
    expect(chunks).toEqual([]);
    expect(isHttpError(error)).toBe(true);
    const e = error as HttpError;
    expect(e.status).toBe(status);
    // the key was sent, and is nowhere in what the error shows
    const sent = server.received[server.received.length - 1].headers;
    expect(JSON.stringify(sent)).toContain(apiKey);
    for (const shown of [e.message, JSON.stringify(e), inspect(e, { depth: 10 })]) expect(shown).not.toContain(apiKey);
    return { error: e, recorded: JSON.parse(body.toString('utf8')) };
  };

  test('Anthropic 400 {type: "error", error: {type, message}}', async () => {
    const { error, recorded } = await errorFor('anthropic', 'anthropic-http-400-error.json', 400, 'sk-ant-secret-400-abcdef', `${server.url}/v1`);
    expect(error.body).toEqual(recorded);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(`anthropic answered HTTP 400: invalid_request_error: ${recorded.error.message}`);
  });

  test('Gemini 400 INVALID_ARGUMENT, whose body echoes the key it was sent', async () => {
    const key = 'AIzv00G7VmUCUeC-5OglO3hcXM';
    const { error } = await errorFor('gemini', 'google-http-400-error.json', 400, key);
    expect(error.message).toBe('gemini answered HTTP 400: INVALID_ARGUMENT: API key not valid. Please pass a valid API key.');
    expect(error.retryable).toBe(false);
    expect(error.retryAfterMs).toBeUndefined();
    expect((error.body as { error: { status: string } }).error.status).toBe('INVALID_ARGUMENT');
    expect(error.url).not.toContain('alt=sse');
  });

  test('Gemini 429 RESOURCE_EXHAUSTED: retryable, retryAfterMs from RetryInfo.retryDelay', async () => {
    const { error } = await errorFor('gemini', 'google-http-429-error.json', 429, 'AIza-test-key');
    expect(error.message).toBe('gemini answered HTTP 429: RESOURCE_EXHAUSTED: You exceeded your current quota, please check your plan.');
    expect(error.retryable).toBe(true);
    expect(error.retryAfterMs).toBe(34_400);
  });

  test('Ollama 404 {"error": "model … not found"}', async () => {
    const { error, recorded } = await errorFor('ollama', 'ollama-http-404-error.json', 404, 'secret-ollama-key-42');
    expect(error.body).toEqual(recorded);
    expect(error.message).toBe("ollama answered HTTP 404: model 'llama3.2' not found");
    expect(error.retryable).toBe(false);
    expect(error.url).toBe(`${server.url}/api/chat`);
  });
});
