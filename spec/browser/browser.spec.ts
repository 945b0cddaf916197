import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { answerFor, mockBaseURL, startMockServer, type MockRequest, type MockRequestEnd, type MockServer } from '../../testing';
import { startPageServer, type PageServer } from './pageServer';

// jest.config.js leaves this suite out, with one line saying so, when there is no Chromium here.
const CHROMIUM = process.env.RXLLM_CHROMIUM ? resolve(process.env.RXLLM_CHROMIUM) : '/usr/bin/chromium';
const OUTPUT = resolve(__dirname, '../../.test-output/browser');
const QUESTION = 'Why does streaming matter for chat UIs?';
const messages = [{ role: 'user' as const, content: QUESTION }];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Resolves with how the request ended, or rejects after `ms`. */
const endOf = (request: MockRequest, ms: number) =>
  Promise.race([
    request.closed,
    new Promise<MockRequestEnd>((_, reject) => setTimeout(() => reject(new Error(`request still open after ${ms} ms`)), ms).unref()),
  ]);

describe('rxllm in headless Chromium: the built ESM bundle, axios fetch adapter, the mock server over CORS', () => {
  let mock: MockServer;
  let pages: PageServer;
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    mock = await startMockServer();
    pages = await startPageServer();
    userDataDir = mkdtempSync(join(tmpdir(), 'rxllm-chromium-'));
    // --user-data-dir is Playwright's own parameter here: a fresh profile for every run
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await pages?.close();
    await mock?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  /** Opens the page against the mock server; collects what the page reports as errors. */
  async function open(query: Record<string, string>) {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    const toMock: Array<{ method: string; type: string }> = [];
    page.on('request', (request) => request.url().startsWith(mock.url) && toMock.push({ method: request.method(), type: request.resourceType() }));
    await page.goto(`${pages.url}/?${new URLSearchParams({ baseURL: mockBaseURL(mock, 'openai'), q: QUESTION, ...query })}`);
    await page.waitForFunction(() => document.body.dataset.status === 'ready', undefined, { timeout: 15_000 });
    return { page, problems, toMock };
  }

  const text = (page: Page, selector: string) => page.locator(selector).textContent();
  const data = (page: Page, selector: string, name: string) => page.locator(selector).getAttribute(`data-${name}`);
  const newRequests = (from: number) => mock.requests.slice(from).filter((r) => r.method === 'POST');

  test('streams the mock answer and renders it with the live metrics', async () => {
    const { page, problems, toMock } = await open({});
    const from = mock.requests.length;
    await page.click('#start');
    await page.waitForFunction(() => document.body.dataset.status !== 'streaming', undefined, { timeout: 20_000 });

    expect(await data(page, 'body', 'status')).toBe('completed');
    expect(await text(page, '#answer')).toBe(answerFor(messages).text);

    const [post] = newRequests(from);
    expect(post.path).toBe('/v1/chat/completions');
    expect(await endOf(post, 5_000)).toEqual({ completed: true, bytesWritten: expect.any(Number) });
    // the final metrics value: the stream's end, and the wire bytes the page decoded are the bytes the
    // server sent, but for the closing `data: [DONE]` when it came in a read of its own (docs/decisions.md)
    expect(await data(page, '#metrics', 'status')).toBe('completed');
    expect(Number(await data(page, '#metrics', 'chunks'))).toBeGreaterThan(10);
    const bytes = Number(await data(page, '#metrics', 'bytes'));
    expect(bytes).toBeLessThanOrEqual(post.bytesWritten);
    expect(bytes).toBeGreaterThanOrEqual(post.bytesWritten - 'data: [DONE]\n\n'.length);
    expect(await text(page, '#metrics')).toMatch(/^completed · \d+ chunks · \d+ bytes · \d+ tokens · [\d.]+ tok\/s · first chunk \d+ ms$/);

    // fetch, not XHR: axios's fetch adapter, whose body is a ReadableStream (preflighted: JSON body)
    expect(toMock).toContainEqual({ method: 'POST', type: 'fetch' });
    expect(toMock.some((r) => r.type === 'xhr')).toBe(false);
    expect(pages.missing).toEqual([]);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, 'streamed.png'), fullPage: true });
    await page.close();
  }, 60_000);

  test('a side request (the moderation check of contentModeration) goes out through the same fetch adapter as the stream', async () => {
    const { page, problems, toMock } = await open({ moderation: '1' });
    const from = mock.requests.length;
    await page.click('#start');
    await page.waitForFunction(() => document.body.dataset.status !== 'streaming', undefined, { timeout: 20_000 });

    expect(await data(page, 'body', 'status')).toBe('completed');
    expect(await text(page, '#answer')).toBe(answerFor(messages).text);
    const paths = newRequests(from).map((r) => r.path);
    expect(paths).toContain('/v1/chat/completions');
    expect(paths).toContain('/v1/moderations');
    // every request to the mock, the moderation checks included, is a fetch: one axios client, one adapter
    expect(toMock.filter((r) => r.method === 'POST').length).toBe(paths.length);
    expect(toMock.filter((r) => r.method === 'POST').every((r) => r.type === 'fetch')).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  test('"Stop" unsubscribes mid-stream: the request is aborted and the metrics end as cancelled', async () => {
    const { page, problems } = await open({ chunkDelayMs: '60' });
    const from = mock.requests.length;
    await page.click('#start');
    // live: a few chunks rendered and a metrics value while the answer still streams
    await page.waitForFunction(
      () => (document.getElementById('answer')!.textContent ?? '').length > 20 && document.getElementById('metrics')!.dataset.status === 'streaming',
      undefined,
      { timeout: 20_000 },
    );
    await page.click('#stop');

    const [post] = newRequests(from);
    expect(post.headers['x-mock-chunk-delay-ms']).toBe('60');
    const end = await endOf(post, 5_000);
    expect(end.completed).toBe(false);

    expect(await data(page, 'body', 'status')).toBe('stopped');
    expect(await data(page, '#metrics', 'status')).toBe('cancelled');
    const full = answerFor(messages).text;
    const shown = (await text(page, '#answer')) ?? '';
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length).toBeLessThan(full.length);
    expect(full.startsWith(shown)).toBe(true);
    expect(end.bytesWritten).toBeGreaterThan(0);
    // nothing arrives after the stop
    await new Promise((done) => setTimeout(done, 300));
    expect(await text(page, '#answer')).toBe(shown);
    expect(problems).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, 'stopped.png'), fullPage: true });
    await page.close();
  }, 60_000);
});
