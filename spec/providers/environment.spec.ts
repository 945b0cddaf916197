import { lastValueFrom, toArray } from 'rxjs';
import { isConfigError, streamChat$, type ConfigError } from '../../lib';
import { ollamaHostBaseURL } from '../../providers/ollama/ollamaHostBaseURL';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { prepareRequest } from '../support/prepareRequest';

const user = (content: string) => [{ role: 'user' as const, content }];
const VARIABLES = ['OPENAI_BASE_URL', 'OPENAI_API_KEY', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_API_KEY', 'OLLAMA_HOST', 'GOOGLE_API_KEY', 'GEMINI_API_KEY'];

/**
 * The well-known variables, read as the official SDKs read them (openai-node, @anthropic-ai/sdk,
 * @google/genai, the Ollama CLI / ollama-js's host form): trimmed, blank = unset, an option always wins.
 */
describe('provider environment variables', () => {
  const saved: Record<string, string | undefined> = {};
  beforeEach(() => {
    for (const name of VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  const prepared = (id: string, options: Record<string, unknown> = {}) => prepareRequest(id, user('x'), { apiKey: 'k', ...options });

  test.each(['openai', 'openai-responses'])('%s: OPENAI_BASE_URL is the base URL when baseURL is not given (trimmed); baseURL wins', (id) => {
    process.env.OPENAI_BASE_URL = '  https://gateway.example.com/openai/v1 ';
    expect(prepared(id).options.baseURL).toBe('https://gateway.example.com/openai/v1');
    expect(prepared(id).request.url).toMatch(/^https:\/\/gateway\.example\.com\/openai\/v1\//);
    expect(prepared(id, { baseURL: 'http://127.0.0.1:1/v1' }).options.baseURL).toBe('http://127.0.0.1:1/v1');
    process.env.OPENAI_BASE_URL = '   ';
    expect(prepared(id).options.baseURL).toBe('https://api.openai.com/v1');
  });

  test("OPENAI_BASE_URL does not reach providers whose SDK does not read it (mistral's, anthropic's)", () => {
    process.env.OPENAI_BASE_URL = 'https://gateway.example.com/v1';
    expect(prepared('mistral').options.baseURL).toBe('https://api.mistral.ai/v1');
    expect(prepared('anthropic').options.baseURL).toBe('https://api.anthropic.com/v1');
  });

  test.each([
    ['https://claude-gw.example.com', 'https://claude-gw.example.com/v1'],
    ['https://claude-gw.example.com/', 'https://claude-gw.example.com/v1'],
    ['http://127.0.0.1:8080/anthropic', 'http://127.0.0.1:8080/anthropic/v1'],
  ])('ANTHROPIC_BASE_URL=%s is the SDK\'s root: the base URL is %s (+ /messages)', (value, base) => {
    process.env.ANTHROPIC_BASE_URL = value;
    expect(prepared('anthropic').options.baseURL).toBe(base);
    expect(prepared('anthropic').request.url).toBe(`${base}/messages`);
  });

  test.each([
    ['0.0.0.0', 'http://0.0.0.0:11434'],
    ['gpu-box', 'http://gpu-box:11434'],
    ['gpu-box:11500', 'http://gpu-box:11500'],
    [':8080', 'http://127.0.0.1:8080'],
    ['http://gpu-box', 'http://gpu-box:80'],
    ['https://ollama.example.com', 'https://ollama.example.com:443'],
    ['https://ollama.example.com/ollama/', 'https://ollama.example.com:443/ollama'],
    ['[::1]:11500', 'http://[::1]:11500'],
  ])('OLLAMA_HOST=%s: %s', (value, base) => {
    expect(ollamaHostBaseURL(value)).toBe(base);
    process.env.OLLAMA_HOST = value;
    expect(prepareRequest('ollama', user('x'), {}).options.baseURL).toBe(base);
  });

  test("OLLAMA_HOST's credentials are secrets of the request", () => {
    process.env.OLLAMA_HOST = 'https://me:host-pass-1@ollama.example.com';
    const { options, secrets } = prepareRequest('ollama', user('x'), {});
    expect(options.baseURL).toBe('https://me:host-pass-1@ollama.example.com:443');
    expect(secrets).toEqual(expect.arrayContaining(['host-pass-1', 'me:host-pass-1']));
  });

  test('OLLAMA_HOST reaches a server over HTTP: the mock server at host:port, no scheme', async () => {
    const server: MockServer = await startMockServer();
    try {
      process.env.OLLAMA_HOST = `127.0.0.1:${server.port}`;
      const chunks = await lastValueFrom(streamChat$('ollama', user('From the variable')).pipe(toArray()));
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('From the variable')).text);
      expect(server.requests.map((r) => r.path)).toEqual(['/api/chat']);
    } finally {
      await server.close();
    }
  });

  test('a variable that makes no http(s) URL is a ConfigError under baseURL naming it, its credentials hidden', async () => {
    process.env.OPENAI_BASE_URL = 'ftp://user:ftp-pass@files.example.com/';
    const { error } = await collect(streamChat$('openai', user('x'), { apiKey: 'k' }));
    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).message).toMatch(/baseURL: expected an http\(s\) URL \(baseURL not given, so OPENAI_BASE_URL was read\), got "ftp:\/\/\[REDACTED\]@files\.example\.com\/"/);
    expect((error as ConfigError).message).not.toContain('ftp-pass');
  });

  test('gemini: GOOGLE_API_KEY wins over GEMINI_API_KEY, as @google/genai; either alone serves; apiKey wins over both', () => {
    process.env.GEMINI_API_KEY = 'gemini-key';
    expect(prepareRequest('gemini', user('x'), {}).options.apiKey).toBe('gemini-key');
    process.env.GOOGLE_API_KEY = ' google-key ';
    expect(prepareRequest('gemini', user('x'), {}).options.apiKey).toBe('google-key');
    expect(prepareRequest('gemini', user('x'), {}).request.headers['x-goog-api-key']).toBe('google-key');
    delete process.env.GEMINI_API_KEY;
    expect(prepareRequest('gemini', user('x'), {}).options.apiKey).toBe('google-key');
    expect(prepareRequest('gemini', user('x'), { apiKey: 'given' }).options.apiKey).toBe('given');
  });

  test('gemini without a key names both variables', () => {
    expect(() => prepareRequest('gemini', user('x'), {})).toThrow(/apiKey: expected an API key \(pass apiKey or set GOOGLE_API_KEY or GEMINI_API_KEY\)/);
  });

  test('with OPENAI_BASE_URL set (a gateway of your own), a missing key is allowed, as with baseURL', () => {
    process.env.OPENAI_BASE_URL = 'http://127.0.0.1:4000/v1';
    expect(prepareRequest('openai', user('x'), {}).options.apiKey).toBeUndefined();
  });
});
