import { lastValueFrom } from 'rxjs';
import { isHttpError, streamChat$, toResponse, type HttpError } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockServer } from '../../testing';
import { collect } from '../support/collect';

describe('perplexity against the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'perplexity');
  });
  afterAll(() => server.close());

  const last = () => server.requests[server.requests.length - 1];
  // plain text turns: valid both as ChatMessages and as messages of the mock model
  const ask = (content: string): Array<{ role: 'user'; content: string }> => [{ role: 'user', content }];

  test("sonar: streamChat$('perplexity', …) gets the text, the sources once and the final usage once; no [DONE] needed", async () => {
    const messages = ask('What is Ruby?');
    const { chunks, error } = await collect(streamChat$('perplexity', messages, { baseURL, apiKey: 'pplx-mock-key', searchMode: 'web' }));
    expect(error).toBeUndefined();
    const expected = answerFor(messages);
    const tokens = tokenize(expected.text);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);

    const withSources = chunks.filter((c) => c.citations);
    expect(withSources).toHaveLength(1);
    expect(withSources[0]).toBe(chunks[0]);
    expect(chunks[0].citations).toHaveLength(3);
    chunks[0].citations!.forEach((c, i) => {
      expect(c.url).toBe(`https://www.example.com/what-is-ruby/${i + 1}`);
      expect(c.title).toBe(`What is Ruby? — source ${i + 1}`);
      expect(c.snippet).toMatch(/^What source \d says about What is Ruby\?/);
      expect(c.date).toMatch(/^2025-0\d-\d\d$/);
    });

    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toEqual([chunks[chunks.length - 1]]);
    expect(withUsage[0]).toMatchObject({ finishReason: 'stop', usage: { inputTokens: expected.inputTokens, outputTokens: tokens.length, totalTokens: expected.inputTokens + tokens.length } });

    expect(last().path).toBe('/chat/completions');
    expect(last().headers.authorization).toBe('Bearer pplx-mock-key');
    expect(last().body).toMatchObject({ model: 'sonar', stream: true, search_mode: 'web' });
  });

  test('sonar-reasoning-pro: the <think> block (its closing tag cut across deltas) streams as reasoning, the rest as content', async () => {
    const messages = ask('What would a magic mirror show?');
    const response = await lastValueFrom(streamChat$('perplexity', messages, { baseURL, model: 'sonar-reasoning-pro' }).pipe(toResponse()));
    const expected = answerFor(messages, { thinking: true });
    expect(expected.reasoning).not.toBe('');
    expect(response.reasoning).toBe(`\n${expected.reasoning}\n`);
    expect(response.content).toBe(`\n\n${expected.text}`);
    expect(response.finishReason).toBe('stop');
    expect(response.citations).toHaveLength(3);
  });

  test('searchMode academic reaches the server and changes the sources', async () => {
    const response = await lastValueFrom(streamChat$('perplexity', ask('Papers on streams'), { baseURL, searchMode: 'academic', searchRecencyFilter: 'year' }).pipe(toResponse()));
    expect(last().body).toMatchObject({ search_mode: 'academic', search_recency_filter: 'year' });
    expect(response.citations.map((c) => new URL(c.url!).host)).toEqual(['papers.example.edu', 'papers.example.edu', 'papers.example.edu']);
  });

  test('a refused request: HttpError with Perplexity’s error body (numeric code)', async () => {
    const { error } = await collect(streamChat$('perplexity', ask('Hi'), { baseURL, extraBody: { search_mode: 'images' } }));
    expect(isHttpError(error)).toBe(true);
    expect((error as HttpError).status).toBe(400);
    expect((error as HttpError).body).toEqual({ error: { message: 'Invalid search_mode: "images"', type: 'bad_request', code: 400 } });
  });

  test('the mock speaks Perplexity’s wire: CRLF, no [DONE], chat.completion.done last, sources and running usage in every payload', async () => {
    const response = await fetch(`${server.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-mock-sentences': '1' },
      body: JSON.stringify({ model: 'sonar-reasoning', messages: [{ role: 'user', content: 'Hi' }], stream: true }),
    });
    const text = await response.text();
    expect(text.startsWith(': ping - ')).toBe(true);
    expect(text).not.toContain('[DONE]');
    const events = text.split('\r\n\r\n').filter((e) => e.startsWith('data: ')).map((e) => JSON.parse(e.slice(6)));
    expect(text.split('\r\n\r\n').pop()).toBe('');
    expect(events.map((e) => e.object)).toEqual([...events.slice(1).map(() => 'chat.completion.chunk'), 'chat.completion.done']);
    expect(events.every((e) => e.citations.length === 3 && e.search_results.length === 3)).toBe(true);
    expect(events.map((e) => e.usage.completion_tokens)).toEqual(events.map((_, i) => Math.min(i + 1, events.length - 1)));
    expect(events.slice(0, -1).every((e) => !('finish_reason' in e.choices[0]))).toBe(true);
    const final = events[events.length - 1].choices[0];
    expect(final.finish_reason).toBe('stop');
    expect(final.message.content).toBe(events.slice(0, -1).map((e) => e.choices[0].delta.content).join(''));
    expect(final.message.content.startsWith('<think>\n')).toBe(true);
  });
});
