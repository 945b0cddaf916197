import { lastValueFrom } from 'rxjs';
import { isConfigError, streamChat$, toResponse } from '../../lib';
import { absoluteHttpURL } from '../../lib/pageAddress';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { prepareRequest } from '../support/prepareRequest';

/** Runs `body` as code on a page at `href` runs: `location` defined, then taken away again. */
async function onPage<T>(href: string, body: () => T | Promise<T>): Promise<T> {
  const global = globalThis as { location?: unknown };
  global.location = { href };
  try {
    return await body();
  } finally {
    delete global.location;
  }
}

describe('relative and same-origin base URLs', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  const messages = [{ role: 'user' as const, content: 'Why stream?' }];

  test('outside a page (Node) a relative base URL is a ConfigError that says it needs a page', () => {
    expect(() => prepareRequest('openai', messages, { baseURL: '/api/llm/v1', apiKey: 'k' })).toThrow(
      expect.objectContaining({ issues: [{ path: 'baseURL', expected: 'an http(s) URL (a relative one only in a browser page, which resolves it)', got: '"/api/llm/v1"' }] }),
    );
    expect(absoluteHttpURL('/api/llm/v1')).toBeUndefined();
    expect(absoluteHttpURL('ftp://files.example/v1')).toBeUndefined();
    expect(absoluteHttpURL('https://api.openai.com/v1')).toBe('https://api.openai.com/v1');
  });

  test('on a page it is resolved against the page: path-absolute, relative to the page, same origin', async () => {
    await onPage('https://app.example/chat/index.html', () => {
      expect(prepareRequest('openai', messages, { baseURL: '/api/llm/v1', apiKey: 'k' }).request.url).toBe('https://app.example/api/llm/v1/chat/completions');
      expect(prepareRequest('openai', messages, { baseURL: 'llm/v1', apiKey: 'k' }).request.url).toBe('https://app.example/chat/llm/v1/chat/completions');
      expect(prepareRequest('anthropic', messages, { baseURL: '//proxy.example/anthropic/v1', apiKey: 'k' }).request.url).toBe('https://proxy.example/anthropic/v1/messages');
      // an absolute URL stays as it is
      expect(prepareRequest('openai', messages, { baseURL: 'http://127.0.0.1:9/v1', apiKey: 'k' }).request.url).toBe('http://127.0.0.1:9/v1/chat/completions');
    });
  });

  test('a page served beside the API streams with a relative base URL, as docs/browser.md shows', async () => {
    const answer = await onPage(`${server.url}/app/`, () => lastValueFrom(streamChat$('openai', messages, { baseURL: '/v1', apiKey: 'k' }).pipe(toResponse())));
    expect(answer.content).toBe(answerFor(messages).text);
    // and once the page is gone, the same options are refused again
    const refused = await lastValueFrom(streamChat$('openai', messages, { baseURL: '/v1', apiKey: 'k' })).catch((error: unknown) => error);
    expect(isConfigError(refused)).toBe(true);
  });
});
