import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import ts from 'typescript';
import { createChatRelay, memoryRelayStore, type ChatRelay } from '../../lib';
import { Profile } from '../../examples/angular/profile';
import { answerFor, mockBaseURL, startMockServer, type MockRequest, type MockRequestEnd, type MockServer } from '../../testing';
import { valueForSchema } from '../../testing/structuredAnswer';
import { answerHeader } from '../support/mockWire';
import { relayRoute, type RelayExchange, type RelayRoute } from '../support/relayServer';
import { startPageServer, type PageServer } from './pageServer';

// jest.config.js leaves this suite out, with one line saying so, when there is no Chromium here.
const CHROMIUM = process.env.RXLLM_CHROMIUM ? resolve(process.env.RXLLM_CHROMIUM) : '/usr/bin/chromium';
const ROOT = resolve(__dirname, '../..');
const EXAMPLE = join(ROOT, 'examples', 'angular');
const OUTPUT = join(ROOT, '.test-output', 'browser');
const SERVER_KEY = 'sk-server-only-7d41e2';
const QUESTION = 'Why does streaming matter for chat UIs?';
const messages = [{ role: 'user' as const, content: QUESTION }];
const FULL = answerFor(messages).text;

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Angular's ES builds (fesm2022) and what they import, for the page's import map. */
const ANGULAR_IMPORTS = {
  '@angular/core': '/node_modules/@angular/core/fesm2022/core.mjs',
  '@angular/core/rxjs-interop': '/node_modules/@angular/core/fesm2022/rxjs-interop.mjs',
  '@angular/core/primitives/signals': '/node_modules/@angular/core/fesm2022/primitives-signals.mjs',
  '@angular/core/primitives/di': '/node_modules/@angular/core/fesm2022/primitives-di.mjs',
  '@angular/common': '/node_modules/@angular/common/fesm2022/common.mjs',
  '@angular/common/http': '/node_modules/@angular/common/fesm2022/http.mjs',
  '@angular/platform-browser': '/node_modules/@angular/platform-browser/fesm2022/platform-browser.mjs',
  '@angular/compiler': '/node_modules/@angular/compiler/fesm2022/compiler.mjs',
  'rxjs/operators': '/node_modules/rxjs/dist/esm/operators/index.js',
};

/**
 * The example's TypeScript files compiled as its own tsconfig.json says (decorators as an Angular
 * project has them), to ES2022 modules in `outDir`: what the page loads from `/app/`.
 */
function compileExample(outDir: string): string[] {
  const { config, error } = ts.readConfigFile(join(EXAMPLE, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, EXAMPLE);
  const files = readdirSync(EXAMPLE).filter((name) => name.endsWith('.ts'));
  for (const name of files) {
    const { outputText, diagnostics } = ts.transpileModule(readFileSync(join(EXAMPLE, name), 'utf8'), {
      fileName: name,
      reportDiagnostics: true,
      compilerOptions: { ...options, module: ts.ModuleKind.ES2022, noEmit: false, sourceMap: false, paths: undefined },
    });
    if (diagnostics?.length) throw new Error(`${name}: ${diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('; ')}`);
    writeFileSync(join(outDir, name.replace(/\.ts$/, '.js')), outputText);
  }
  return files;
}

/** Resolves with how the request ended, or rejects after `ms`. */
const endOf = (request: MockRequest, ms: number) =>
  Promise.race([
    request.closed,
    new Promise<MockRequestEnd>((_, reject) => setTimeout(() => reject(new Error(`request still open after ${ms} ms`)), ms).unref()),
  ]);

/** Waits until the relay's side of an exchange closed (its `completed` is known). */
async function closed(exchange: RelayExchange, ms = 5_000): Promise<RelayExchange> {
  for (const until = Date.now() + ms; exchange.completed === undefined; ) {
    if (Date.now() > until) throw new Error(`relay exchange still open after ${ms} ms`);
    await new Promise((done) => setTimeout(done, 20));
  }
  return exchange;
}

/** What the profile page recorded after each rendering that changed it (spec/browser/angular/profile.mjs). */
interface FormState {
  status: 'idle' | 'streaming' | 'done' | 'error';
  name: string;
  role: string;
  skills: string[];
  address: { street: string; city: string; country: string };
  bio: string;
}

/** The answer the profile relay streams: a profile whose bio has what real answers have (line ends, a tab, quotes, a backslash, emoji, CJK). */
const PROFILE: Profile = {
  name: 'Ada Lovelace',
  role: 'Analyst of the Analytical Engine',
  skills: ['Mathematics', 'Translation and notes', 'Poetical science', 'Programming'],
  address: { street: "12 St James's Square", city: 'London', country: 'United Kingdom' },
  bio: 'Born in 1815, "the Enchantress of Numbers".\nShe wrote Note G, the first published program:\n\tBernoulli numbers on the Engine 🧮✨\n\n她的笔记 / 彼女のノート: a back\\slash, and a ZWJ emoji 👩‍💻.',
};
/** as a model writes it: on one line, a space after each `:` and `,`, so that it streams in many deltas */
const jsonText = (value: unknown) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
const PROFILE_TEXT = jsonText(PROFILE);
const DESCRIBE = 'Ada Lovelace, who wrote the first program';

/** Whether `shown` is what a prefix of `whole`'s JSON shows: strings cut short, the last array element growing, the rest whole. */
function shownPrefixOf(shown: unknown, whole: unknown): boolean {
  if (typeof shown === 'string') return typeof whole === 'string' && whole.startsWith(shown);
  if (Array.isArray(shown)) {
    return Array.isArray(whole) && shown.length <= whole.length && shown.every((item, i) => (i < shown.length - 1 ? item === whole[i] : shownPrefixOf(item, whole[i])));
  }
  if (typeof shown === 'object' && shown !== null) return Object.entries(shown).every(([key, value]) => shownPrefixOf(value, (whole as Record<string, unknown>)[key]));
  return shown === whole;
}

/** The stream id of a relay answer (its first event, `event: stream`). */
const streamIdOf = (written: string) => (JSON.parse(/^event: stream\ndata: (.*)\n/.exec(written)![1]) as { id: string }).id;
/** The `id:` (the server's seq) of each chunk event of a relay answer. */
const seqsOf = (written: string) => [...written.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));

describe('examples/angular runs in headless Chromium: the component and its toSignal service, JIT and zoneless, reading a relay of the mock server', () => {
  let mock: MockServer;
  let pages: PageServer;
  let relay: RelayRoute;
  let context: BrowserContext;
  let userDataDir: string;
  let appDir: string;
  let compiled: string[];
  /** the relay the route answers with now: each test sets its own (paced or not); they share the store */
  let current: ChatRelay;
  /** the structured relay at /api/profile (`output: { schema: Profile }`), and the one it answers with now */
  let profileRoute: RelayRoute;
  let currentProfile: ChatRelay;
  const store = memoryRelayStore();
  const relayErrors: unknown[] = [];
  /** a relay to the mock's OpenAI route with the server's key and model, these options and headers beside them */
  const mockRelayOf = (options: { output?: { schema: typeof Profile; name: string } }, headers: Record<string, string>) =>
    createChatRelay({
      provider: 'openai',
      options: { baseURL: mockBaseURL(mock, 'openai'), apiKey: SERVER_KEY, model: 'gpt-5-mini', ...options, headers },
      store,
      onError: (error) => relayErrors.push(error),
    });
  // the mock server paces its answer when asked: a server-side option, the page cannot set headers
  const relayOf = (chunkDelayMs?: number) => mockRelayOf({}, chunkDelayMs === undefined ? {} : { 'x-mock-chunk-delay-ms': String(chunkDelayMs) });
  /** the profile form's relay: the codec the page decodes with is the one the server asks the provider for; `answer` the JSON text the mock streams (default: the mock's own for the schema) */
  const profileRelayOf = (chunkDelayMs: number, answer?: string) =>
    mockRelayOf({ output: { schema: Profile, name: 'profile' } }, { 'x-mock-chunk-delay-ms': String(chunkDelayMs), ...(answer === undefined ? {} : answerHeader(answer)) });

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    appDir = mkdtempSync(join(tmpdir(), 'rxllm-angular-'));
    compiled = compileExample(appDir);
    mock = await startMockServer();
    current = relayOf();
    relay = relayRoute([{ handle: (request, response) => current.handle(request, response), events$: (request) => current.events$(request) }]);
    currentProfile = profileRelayOf(0);
    profileRoute = relayRoute([{ handle: (request, response) => currentProfile.handle(request, response), events$: (request) => currentProfile.events$(request) }]);
    pages = await startPageServer({
      html: join(__dirname, 'angular', 'index.html'),
      pages: { '/profile': join(__dirname, 'angular', 'profile.html') },
      imports: ANGULAR_IMPORTS,
      packages: ['@angular/core', '@angular/common', '@angular/platform-browser', '@angular/compiler'],
      folders: { angular: join(__dirname, 'angular'), app: appDir },
      // same origin as the page: `streamChat$('rxllm', …, { baseURL: '/api/chat' })` as the example has it
      routes: { '/api/chat': relay.handle, '/api/profile': profileRoute.handle },
    });
    userDataDir = mkdtempSync(join(tmpdir(), 'rxllm-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await pages?.close();
    await mock?.close();
    for (const dir of [userDataDir, appDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Opens the page and waits for the application to bootstrap; collects what the page reports as
   * errors, its requests, and every text the answer showed (a MutationObserver, from the start).
   */
  async function open(path = '/') {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
    const requests: Array<{ url: string; method: string; type: string; body: string | null }> = [];
    page.on('request', (request) => requests.push({ url: request.url(), method: request.method(), type: request.resourceType(), body: request.postData() }));
    await page.addInitScript(() => {
      const shown: string[] = ((window as unknown as { shown: string[] }).shown = []);
      new MutationObserver(() => {
        const text = document.querySelector('.answer')?.textContent;
        if (text !== undefined && text !== null && text !== shown[shown.length - 1]) shown.push(text);
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(`${pages.url}${path}`);
    await page.waitForFunction(() => document.body.dataset.status !== undefined, undefined, { timeout: 20_000 });
    expect(await page.locator('body').getAttribute('data-status')).toBe('ready');
    return { page, problems, requests };
  }

  /** A test's end: the page reported no error and asked for nothing that was missing, the relay logged no error; a screenshot when named; the page closed. */
  async function closeClean(page: Page, problems: readonly string[], screenshot?: string) {
    expect(pages.missing).toEqual([]);
    expect(problems).toEqual([]);
    expect(relayErrors).toEqual([]);
    if (screenshot) await page.screenshot({ path: join(OUTPUT, screenshot), fullPage: true });
    await page.close();
  }

  const ask = async (page: Page, question: string) => {
    await page.fill('rxllm-chat input', question);
    await page.click('rxllm-chat button[type=submit]');
  };
  const metricsStatus = (page: Page) => page.locator('.metrics').getAttribute('data-status');
  const metricsText = async (page: Page) => ((await page.locator('.metrics').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const shownTexts = (page: Page) => page.evaluate(() => (window as unknown as { shown: string[] }).shown);
  const waitForEnd = (page: Page) =>
    page.waitForFunction(() => ['completed', 'error', 'cancelled'].includes(document.querySelector<HTMLElement>('.metrics')?.dataset.status ?? ''), undefined, { timeout: 20_000 });
  const newPosts = (from: number) => mock.requests.slice(from).filter((r) => r.method === 'POST');

  test("the page is the example itself: its .ts files compiled with TypeScript, Angular's ES builds and the built rxllm through an import map", () => {
    expect(compiled.sort()).toEqual(['chat.component.ts', 'chat.service.ts', 'profile-form.component.ts', 'profile.service.ts', 'profile.ts']);
    const component = readFileSync(join(appDir, 'chat.component.js'), 'utf8');
    expect(component).toContain("from './chat.service'");
    expect(readFileSync(join(appDir, 'chat.service.js'), 'utf8')).toMatch(/import \{[^}]*toSignal[^}]*\} from '@angular\/core\/rxjs-interop'/);
    // the profile form: the service reads the answer with partialObjects and toObject, and the codec is the one file the server uses too
    expect(readFileSync(join(appDir, 'profile-form.component.js'), 'utf8')).toContain("from './profile.service'");
    const service = readFileSync(join(appDir, 'profile.service.js'), 'utf8');
    expect(service).toMatch(/import \{[^}]*partialObjects[^}]*toObject[^}]*\} from 'rxllm'/);
    expect(service).toContain("import { Profile } from './profile'");
  });

  test('a question streams its answer into the page through the relay: the mock answer, whole, with the metrics completed; the key stays on the server', async () => {
    // paced a little, so that the answer arrives over several renderings
    current = relayOf(10);
    const { page, problems, requests } = await open();
    const fromMock = mock.requests.length;
    const fromRelay = relay.exchanges.length;
    await ask(page, QUESTION);
    await waitForEnd(page);

    expect(await page.locator('.answer').textContent()).toBe(FULL);
    expect(await metricsStatus(page)).toBe('completed');
    expect(await metricsText(page)).toMatch(/^completed · \d+ chunks · [\d.,]+ tok\/s · first chunk [\d,]+ ms$/);
    expect(await page.locator('.error').count()).toBe(0);
    // every rendering was the answer so far: each one a longer prefix of the whole
    const shown = await shownTexts(page);
    expect(shown.length).toBeGreaterThan(1);
    expect(shown.every((text, i) => FULL.startsWith(text) && (i === 0 || text.length > shown[i - 1].length))).toBe(true);

    // the page asked its own origin, as a fetch, with the conversation and no option the server did not allow
    const toRelay = requests.filter((r) => r.url === `${pages.url}/api/chat`);
    expect(toRelay).toEqual([{ url: `${pages.url}/api/chat`, method: 'POST', type: 'fetch', body: JSON.stringify({ messages, options: {} }) }]);
    expect(requests.some((r) => r.url.startsWith(mock.url))).toBe(false);
    // one provider request, made by the relay with the server's key, answered whole
    const [post] = newPosts(fromMock);
    expect(newPosts(fromMock)).toHaveLength(1);
    expect(post.path).toBe('/v1/chat/completions');
    expect(post.headers.authorization).toBe(`Bearer ${SERVER_KEY}`);
    expect(await endOf(post, 5_000)).toMatchObject({ completed: true });
    const [exchange] = relay.exchanges.slice(fromRelay);
    expect(await closed(exchange)).toMatchObject({ method: 'POST', status: 200, completed: true });
    expect(relay.written.at(-1)).toMatch(/event: done\ndata: \{"finishReason":"stop"\}\n\n$/);

    // zoneless: the page never loaded zone.js, and nothing it asked for was missing
    expect(await page.evaluate(() => typeof (globalThis as { Zone?: unknown }).Zone)).toBe('undefined');
    expect(requests.some((r) => r.url.includes('zone'))).toBe(false);
    await closeClean(page, problems, 'angular-streamed.png');
  }, 60_000);

  test('"Stop" mid-answer aborts both hops: the page\'s request to the relay, and (by the DELETE the page sends) the relay\'s to the provider', async () => {
    current = relayOf(60);
    const { page, problems } = await open();
    const fromMock = mock.requests.length;
    const fromRelay = relay.exchanges.length;
    await ask(page, QUESTION);
    // live: some text and a streaming metrics value while the answer still streams
    await page.waitForFunction(
      () => (document.querySelector('.answer')?.textContent ?? '').length > 20 && document.querySelector<HTMLElement>('.metrics')?.dataset.status === 'streaming',
      undefined,
      { timeout: 20_000 },
    );
    await page.click('rxllm-chat button[type=button]');

    // the provider's request ended before its answer did
    const [post] = newPosts(fromMock);
    expect(post.headers['x-mock-chunk-delay-ms']).toBe('60');
    const end = await endOf(post, 5_000);
    expect(end.completed).toBe(false);
    expect(end.bytesWritten).toBeGreaterThan(0);
    // the page's request to the relay closed before its done event, and the page cancelled the kept stream
    // the page cancelled the kept stream on the relay: a DELETE naming it, which found it running
    const [answer, cancel] = relay.exchanges.slice(fromRelay);
    const streamId = streamIdOf(relay.written[fromRelay]);
    expect(await closed(cancel)).toMatchObject({ method: 'DELETE', status: 204, headers: expect.objectContaining({ 'x-rxllm-stream': streamId }) });
    expect(relay.exchanges).toHaveLength(fromRelay + 2);
    // the relay's answer to the page ended before the answer did: no done event. It ends with the last
    // chunk written when the page's abort closed it first, or, when the DELETE reached the relay first
    // (the page sends it as it leaves), with the cancelled stream's error event, which no one reads
    expect(await closed(answer)).toMatchObject({ method: 'POST', status: 200 });
    expect(relay.written[fromRelay]).not.toContain('event: done');
    expect(relay.written[fromRelay].trimEnd().split('\n\n').at(-1)).toMatch(/^id: \d+\ndata: \{|^event: error\ndata: \{"name":"StoredStreamError","message":"Stream '[^']+' was cancelled/);

    await page.waitForFunction(() => document.querySelector<HTMLElement>('.metrics')?.dataset.status === 'cancelled', undefined, { timeout: 5_000 });
    const shown = (await page.locator('.answer').textContent()) ?? '';
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length).toBeLessThan(FULL.length);
    expect(FULL.startsWith(shown)).toBe(true);
    // nothing arrives after the stop
    await new Promise((done) => setTimeout(done, 300));
    expect(await page.locator('.answer').textContent()).toBe(shown);
    await closeClean(page, problems, 'angular-stopped.png');
  }, 60_000);

  test('destroying the application mid-answer (what leaving does to the component and its service) aborts both hops too', async () => {
    current = relayOf(60);
    const { page, problems } = await open();
    const fromMock = mock.requests.length;
    const fromRelay = relay.exchanges.length;
    await ask(page, QUESTION);
    await page.waitForFunction(() => (document.querySelector('.answer')?.textContent ?? '').length > 20, undefined, { timeout: 20_000 });
    await page.evaluate(() => (window as unknown as { app: { destroy(): void } }).app.destroy());

    // toSignal's subscription ended with the service's injector: the request is aborted,
    // the kept stream cancelled on the relay, and the provider's request ended before its answer did
    expect((await endOf(newPosts(fromMock)[0], 5_000)).completed).toBe(false);
    const [answer, cancel] = relay.exchanges.slice(fromRelay);
    expect(await closed(cancel)).toMatchObject({ method: 'DELETE', status: 204, headers: expect.objectContaining({ 'x-rxllm-stream': streamIdOf(relay.written[fromRelay]) }) });
    expect(await closed(answer)).toMatchObject({ method: 'POST', status: 200 });
    expect(relay.written[fromRelay]).not.toContain('event: done');
    expect(await page.locator('rxllm-chat').count()).toBe(0);
    await closeClean(page, problems);
  }, 60_000);

  test('a connection dropped mid-answer resumes after the last chunk the page had: one provider request, the answer shown whole and once', async () => {
    current = relayOf(20);
    const { page, problems } = await open();
    const fromMock = mock.requests.length;
    const fromRelay = relay.exchanges.length;
    // the page's connection to the relay drops once the start event and nine chunks were sent
    relay.dropAfterEvents(10);
    await ask(page, QUESTION);
    await waitForEnd(page);

    expect(await metricsStatus(page)).toBe('completed');
    expect(await page.locator('.answer').textContent()).toBe(FULL);
    // shown once: every rendering was a longer prefix of the answer, none went back or repeated a part
    const shown = await shownTexts(page);
    expect(shown.every((text, i) => FULL.startsWith(text) && (i === 0 || text.length > shown[i - 1].length))).toBe(true);
    expect(shown.at(-1)).toBe(FULL);

    // one provider request, run on by the relay's store while the page was away, answered whole
    expect(newPosts(fromMock)).toHaveLength(1);
    expect(await endOf(newPosts(fromMock)[0], 5_000)).toMatchObject({ completed: true });
    // two requests to the relay: the first dropped, the reconnect named the stream and the last chunk the page had
    const [first, second] = relay.exchanges.slice(fromRelay);
    expect(relay.exchanges).toHaveLength(fromRelay + 2);
    expect(await closed(first)).toMatchObject({ method: 'POST', completed: false });
    const streamId = streamIdOf(relay.written[fromRelay]);
    // (which chunk the page had last is up to the browser: a body that errors drops what its reader had
    // not taken yet, so it is one of the nine sent, not necessarily the ninth)
    expect(seqsOf(relay.written[fromRelay]).slice(0, 9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(second.headers['x-rxllm-stream']).toBe(streamId);
    const lastEventId = Number(second.headers['last-event-id']);
    expect(Number.isInteger(lastEventId) && lastEventId >= 0 && lastEventId <= 8).toBe(true);
    // the reconnect's answer: the same stream, from the chunk after that one, to its end
    expect(await closed(second)).toMatchObject({ method: 'POST', status: 200, completed: true });
    expect(streamIdOf(relay.written[fromRelay + 1])).toBe(streamId);
    const resumed = seqsOf(relay.written[fromRelay + 1]);
    expect(resumed[0]).toBe(lastEventId + 1);
    expect(resumed).toEqual(resumed.map((_, i) => lastEventId + 1 + i));
    expect(relay.written[fromRelay + 1]).toMatch(/event: done\ndata: \{"finishReason":"stop"\}\n\n$/);

    // the metrics counted the resume; the browser logged the dropped connection, and nothing else
    expect(await metricsText(page)).toMatch(/^completed · .* · resumed$/);
    expect(problems).toEqual(['console: Failed to load resource: net::ERR_INCOMPLETE_CHUNKED_ENCODING']);
    expect(relayErrors).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, 'angular-resumed.png'), fullPage: true });
    await page.close();
  }, 60_000);

  describe('the profile form (profile-form.component.ts): a structured answer through a relay with output: { schema: Profile }, filled in field by field by partialObjects()', () => {
    const EMPTY = { name: '', role: '', skills: [], address: { street: '', city: '', country: '' }, bio: '' };
    const fill = async (page: Page, description: string) => {
      await page.fill('rxllm-profile-form .describe input', description);
      await page.click('rxllm-profile-form .describe button[type=submit]');
    };
    /** what the page recorded after each rendering that changed the form (spec/browser/angular/profile.mjs) */
    const formStates = (page: Page) => page.evaluate(() => (window as unknown as { states: FormState[] }).states);
    const formStatus = (page: Page) => page.locator('form.profile').getAttribute('data-status');
    const waitForForm = (page: Page) =>
      page.waitForFunction(() => ['done', 'error'].includes(document.querySelector<HTMLElement>('form.profile')?.dataset.status ?? ''), undefined, { timeout: 20_000 });
    /** the form's fields as the DOM holds them now */
    const formNow = (page: Page) => formStates(page).then((states) => states.at(-1)!);

    test('the fields fill in as the answer streams, in its order: one filled while a later one is still empty, the skills one element at a time, the bio growing; at the end the form is the decoded answer', async () => {
      // paced, so that the page renders between the chunks; the answer is the test's own JSON
      currentProfile = profileRelayOf(40, PROFILE_TEXT);
      const { page, problems, requests } = await open('/profile');
      const fromMock = mock.requests.length;
      const fromRelay = profileRoute.exchanges.length;
      await fill(page, DESCRIBE);
      await waitForForm(page);
      expect(await formStatus(page)).toBe('done');

      const states = await formStates(page);
      const decoded = Profile.decode(JSON.parse(PROFILE_TEXT));
      expect(decoded).toEqual({ _tag: 'Right', right: PROFILE });
      // before the answer: the empty form; at the end: the decoded answer, every field, character for character
      expect(states[0]).toEqual({ status: 'idle', ...EMPTY });
      expect(states.at(-1)).toEqual({ status: 'done', ...PROFILE });
      expect(await page.locator('.error').count()).toBe(0);

      const streaming = states.filter((state) => state.status === 'streaming');
      const fields = (state: FormState) => ({ name: state.name, role: state.role, skills: state.skills, address: state.address, bio: state.bio });
      // every rendering showed a prefix of the answer: strings cut short, the last skill growing, nothing that later changed
      expect(streaming.filter((state) => !shownPrefixOf(fields(state), PROFILE))).toEqual([]);
      // an early field filled while a later one had not started: the name whole, the address and the bio still empty
      expect(streaming.some((state) => state.name === PROFILE.name && state.address.city === '' && state.bio === '')).toBe(true);
      // and the other way round never: no rendering had the bio started before the name was whole
      expect(streaming.some((state) => state.bio !== '' && state.name !== PROFILE.name)).toBe(false);
      // the skills grew element by element, never fewer than before: from none, through at least two
      // counts between (a loaded machine may render two skills at once), to all four
      const counts = states.map((state) => state.skills.length);
      expect(counts.every((count, i) => i === 0 || count >= counts[i - 1])).toBe(true);
      const seen = [...new Set(counts)];
      expect([seen[0], seen.at(-1), seen.length >= 4]).toEqual([0, 4, true]);
      // a multi-word skill was shown cut short before it was whole
      expect(streaming.some((state) => state.skills[1] !== undefined && state.skills[1] !== PROFILE.skills[1] && PROFILE.skills[1].startsWith(state.skills[1]))).toBe(true);
      // the bio grew over many renderings, its line ends, tab, quotes, backslash, emoji and CJK shown as they are
      const bios = [...new Set(streaming.map((state) => state.bio))].filter((bio) => bio !== '' && bio !== PROFILE.bio);
      expect(bios.length).toBeGreaterThan(5);
      expect(bios.some((bio) => bio.includes('\n') && !bio.includes('彼女'))).toBe(true);

      // the server asked the provider for the codec's JSON Schema; the page sent only the conversation
      const [post] = newPosts(fromMock);
      expect(newPosts(fromMock)).toHaveLength(1);
      expect(post.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'profile', strict: true, schema: { required: ['name', 'role', 'skills', 'address', 'bio'] } } } });
      const toRelay = requests.filter((r) => r.url === `${pages.url}/api/profile`);
      expect(toRelay).toEqual([
        { url: `${pages.url}/api/profile`, method: 'POST', type: 'fetch', body: JSON.stringify({ messages: [{ role: 'user', content: DESCRIBE }], options: {} }) },
      ]);
      expect(await closed(profileRoute.exchanges[fromRelay])).toMatchObject({ method: 'POST', status: 200, completed: true });
      // the fields are the user's once the answer is in
      expect(await page.locator('form.profile input[name="name"]').getAttribute('readonly')).toBeNull();
      await closeClean(page, problems, 'angular-profile.png');
    }, 60_000);

    test('an answer that does not fit the codec: the form keeps what arrived, the message names each failing path, and those fields are marked invalid', async () => {
      const wrong = { ...PROFILE, skills: ['Mathematics', 7], address: { ...PROFILE.address, city: 42 } };
      currentProfile = profileRelayOf(0, jsonText(wrong));
      const { page, problems } = await open('/profile');
      await fill(page, DESCRIBE);
      await waitForForm(page);

      expect(await formStatus(page)).toBe('error');
      const alert = (await page.locator('rxllm-profile-form [role=alert]').textContent()) ?? '';
      expect(alert).toBe('The answer does not fit the form: skills.1: expected string, got 7; address.city: expected string, got 42');
      expect(await formNow(page)).toEqual({ status: 'error', ...PROFILE, skills: ['Mathematics', '7'], address: { ...PROFILE.address, city: '42' } });
      const invalid = await page.locator('form.profile [aria-invalid="true"]').evaluateAll((elements) => elements.map((e) => e.getAttribute('name') ?? e.className));
      expect(invalid.sort()).toEqual(['address', 'address.city', 'skills', 'skills'].sort());
      await closeClean(page, problems);
    }, 60_000);

    test('a new description cancels the answer still streaming (its provider request ends early) and the form shows the new one; leaving mid-answer aborts both hops', async () => {
      // the mock's own answer for the schema: its strings are the words of the description, in turn
      currentProfile = profileRelayOf(60);
      const { page, problems } = await open('/profile');
      const fromMock = mock.requests.length;
      const fromRelay = profileRoute.exchanges.length;
      await fill(page, 'Grace Hopper admiral compilers COBOL Arlington Virginia USA');
      await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('form.profile [name="name"]')?.value ?? '') !== '', undefined, { timeout: 20_000 });
      const second = 'Margaret Hamilton engineer Apollo software Boston Massachusetts USA';
      await fill(page, second);
      await waitForForm(page);

      const [first, next] = newPosts(fromMock);
      expect((await endOf(first, 5_000)).completed).toBe(false);
      expect(await endOf(next, 5_000)).toMatchObject({ completed: true });
      const schema = (next.body as { response_format: { json_schema: { schema: unknown } } }).response_format.json_schema.schema;
      const expected = valueForSchema(schema, second) as Profile;
      expect(expected.name).toBe('Margaret');
      expect(await formNow(page)).toEqual({ status: 'done', ...expected });
      // nothing of the first answer after the second started: once the form showed Margaret, never Grace again
      const states = await formStates(page);
      const from = states.findIndex((state) => state.name.startsWith('Marg'));
      expect(from).toBeGreaterThan(0);
      expect(states.slice(from).some((state) => state.name.startsWith('Grace'))).toBe(false);
      // the first answer's kept stream was cancelled on the relay
      // (the DELETE and the second POST go out one after the other, on two connections: either may arrive first)
      const exchanges = profileRoute.exchanges.slice(fromRelay);
      expect(exchanges.map((e) => e.method).sort()).toEqual(['DELETE', 'POST', 'POST']);
      const cancelled = exchanges.find((e) => e.method === 'DELETE')!;
      expect(await closed(cancelled)).toMatchObject({ status: 204, headers: expect.objectContaining({ 'x-rxllm-stream': streamIdOf(profileRoute.written[fromRelay]) }) });

      // leaving mid-answer: the service's toSignal ends with the component, both hops are aborted
      const beforeLeave = mock.requests.length;
      const relayBefore = profileRoute.exchanges.length;
      await fill(page, 'Katherine Johnson mathematician orbits Hampton Virginia USA');
      await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('form.profile [name="name"]')?.value ?? '') === 'Katherine', undefined, { timeout: 20_000 });
      await page.evaluate(() => (window as unknown as { app: { destroy(): void } }).app.destroy());
      expect((await endOf(newPosts(beforeLeave)[0], 5_000)).completed).toBe(false);
      const [answer, cancel] = profileRoute.exchanges.slice(relayBefore);
      expect(await closed(cancel)).toMatchObject({ method: 'DELETE', status: 204 });
      expect(await closed(answer)).toMatchObject({ method: 'POST', status: 200 });
      expect(profileRoute.written[relayBefore]).not.toContain('event: done');
      expect(await page.locator('rxllm-profile-form').count()).toBe(0);
      await closeClean(page, problems);
    }, 60_000);
  });
});
