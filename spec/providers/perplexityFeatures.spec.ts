import { from, lastValueFrom, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isConfigError, streamChat$, type Chunk, type Citation, type ConfigError } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { inlineCitations, perplexity, validateSources } from '../../providers/perplexity';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const SOURCES: Citation[] = [
  { url: 'https://en.wikipedia.org/wiki/Ruby_(programming_language)', title: 'Ruby' },
  { url: 'https://www.ruby-lang.org/en/' },
  { url: 'https://rubyonrails.org/' },
];
const chunk = (seq: number, content?: string, extra: Partial<Chunk> = {}): Chunk => ({
  provider: 'perplexity',
  seq,
  bytes: 10,
  ...(content === undefined ? {} : { content }),
  ...extra,
});
const user = (content: string) => [{ role: 'user' as const, content }];

/** The whole text with every `[n]` of a known source written as a Markdown link (written here, apart from the operator). */
const linkAll = (text: string, urls: readonly string[]) =>
  text.replace(/\[(\d+)\]/g, (marker, digits: string) => (digits[0] !== '0' && urls[Number(digits) - 1] ? `[${digits}](${urls[Number(digits) - 1]})` : marker));

/** What may still become a marker at the end of `text`, given `count` sources: `[`, or `[` + digits that begin some n ≤ count. */
const mayStillBeMarker = (text: string, count: number) => {
  const m = /\[(\d*)$/.exec(text);
  if (!m) return '';
  const digits = m[1];
  if (digits === '') return m[0];
  if (digits[0] === '0') return '';
  for (let n = 1; n <= count; n++) if (String(n).startsWith(digits)) return m[0];
  return '';
};

describe('perplexity search options', () => {
  const body = (options: Record<string, unknown>) => prepareRequest('perplexity', user('Hi'), { apiKey: 'pplx-k', ...options }).request.body as Record<string, unknown>;

  test('every documented search option is sent as its request field', () => {
    expect(
      body({
        searchMode: 'academic',
        searchRecencyFilter: 'week',
        searchDomainFilter: ['wikipedia.org', '-reddit.com'],
        searchAfterDateFilter: '3/1/2025',
        searchBeforeDateFilter: '12/31/2025',
        lastUpdatedAfterFilter: '01/15/2025',
        lastUpdatedBeforeFilter: '6/30/2026',
        searchLanguageFilter: ['en', 'de'],
        disableSearch: false,
        enableSearchClassifier: true,
        returnImages: true,
        returnRelatedQuestions: true,
        reasoningEffort: 'high',
        webSearchOptions: { searchContextSize: 'high', searchType: 'pro', userLocation: { country: 'DE', city: 'Berlin', latitude: 52.52, longitude: 13.4 }, imageResultsEnhancedRelevance: true },
      }),
    ).toEqual({
      model: 'sonar',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
      search_mode: 'academic',
      search_recency_filter: 'week',
      search_domain_filter: ['wikipedia.org', '-reddit.com'],
      search_after_date_filter: '3/1/2025',
      search_before_date_filter: '12/31/2025',
      last_updated_after_filter: '01/15/2025',
      last_updated_before_filter: '6/30/2026',
      search_language_filter: ['en', 'de'],
      disable_search: false,
      enable_search_classifier: true,
      return_images: true,
      return_related_questions: true,
      reasoning_effort: 'high',
      web_search_options: {
        search_context_size: 'high',
        search_type: 'pro',
        user_location: { country: 'DE', city: 'Berlin', latitude: 52.52, longitude: 13.4 },
        image_results_enhanced_relevance: true,
      },
    });
  });

  test('the stream features are not sent; none given sends no search field', () => {
    expect(body({ inlineCitations: true, validateSources: { deny: ['example.com'] } })).toEqual({
      model: 'sonar',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test.each([
    ['searchAfterDateFilter', '2025-03-01'],
    ['searchRecencyFilter', 'decade'],
    ['reasoningEffort', 'extreme'],
    ['webSearchOptions', { searchContextSize: 'huge' }],
    ['inlineCitations', { format: 'markdown' }],
    ['validateSources', { onInvalid: 'fix' }],
  ])('a bad %s is a ConfigError naming it', (name, value) => {
    let error: unknown;
    try {
      prepareRequest('perplexity', user('Hi'), { apiKey: 'k', [name]: value });
    } catch (e) {
      error = e;
    }
    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).issues[0].path.startsWith(name)).toBe(true);
  });

  test('features: none when the options are off; validateSources before inlineCitations; a bad domain is a ConfigError', async () => {
    const context = (options: Record<string, unknown>) => ({ options: { model: 'sonar', baseURL: 'https://api.perplexity.ai', ...options }, request: { url: '', method: 'POST' as const, headers: {} }, secrets: [] });
    expect(perplexity.features!(context({}))).toEqual([]);
    expect(perplexity.features!(context({ inlineCitations: false, validateSources: false }))).toEqual([]);
    expect(perplexity.features!(context({ inlineCitations: true, validateSources: true }))).toHaveLength(2);
    const { error } = await collect(streamChat$('perplexity', user('Hi'), { apiKey: 'k', validateSources: { deny: ['https://example.com/x'] } }));
    expect(isConfigError(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([{ path: 'validateSources.deny.0', expected: "a domain name like 'example.com'", got: '"https://example.com/x"' }]);
    expect((error as ConfigError).message).toMatch(/validateSources\.deny\.0: expected a domain name like 'example\.com'/);
  });
});

describe('inlineCitations', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));
  const [wiki, ruby, rails] = SOURCES.map((s) => s.url);

  test('a marker split across chunks: only "[" is held, and the link goes out with the rest of the marker', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = chunk(0, 'Ruby is fun.[', { citations: SOURCES });
      const b = chunk(1, '2] Rails[3] too.');
      const c = chunk(2, undefined, { finishReason: 'stop' });
      const source = cold('--a---b---c--|', { a, b, c });
      expectObservable(source.pipe(inlineCitations())).toBe('--a---b---c--|', {
        a: { ...a, content: 'Ruby is fun.' },
        b: { ...b, content: `[2](${ruby}) Rails[3](${rails}) too.` },
        c,
      });
      expectSubscriptions(source.subscriptions).toBe('^------------!');
    });
  });

  test('held characters go out as soon as they cannot be a marker; a chunk whose text is all held has no content', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'x[', { citations: SOURCES });
      const b = chunk(1, '1');
      const c = chunk(2, '0] and [a] and [');
      const d = chunk(3, '4]');
      expectObservable(cold('-a-b-c-d-|', { a, b, c, d }).pipe(inlineCitations())).toBe('-a-b-c-d-|', {
        a: { ...a, content: 'x' },
        b: chunk(1), // "[1" may still be [1]
        c: { ...c, content: '[10] and [a] and ' }, // no 10th source: as it is
        d: { ...d, content: '[4]' }, // no 4th source
      });
    });
  });

  test('with ten or more sources, "[1" waits for a second digit', () => {
    const ten = Array.from({ length: 12 }, (_, i) => ({ url: `https://s${i + 1}.example/` }));
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'see [1', { citations: ten });
      const b = chunk(1, '2][13]');
      expectObservable(cold('-a-b|', { a, b }).pipe(inlineCitations())).toBe('-a-b|', {
        a: { ...a, content: 'see ' },
        b: { ...b, content: '[12](https://s12.example/)[13]' },
      });
    });
  });

  test('what is still held at the finish reason goes out with it; at the end or before an error, on a last chunk', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'end [', { citations: SOURCES });
      const f = chunk(1, undefined, { finishReason: 'stop' });
      expectObservable(cold('-a-f|', { a, f }).pipe(inlineCitations())).toBe('-a-f|', { a: { ...a, content: 'end ' }, f: { ...f, content: '[' } });
      expectObservable(cold('-a|', { a }).pipe(inlineCitations())).toBe('-a(z|)', { a: { ...a, content: 'end ' }, z: { provider: 'perplexity', seq: 1, bytes: 0, content: '[' } });
      const error = new Error('reset');
      expectObservable(cold('-a#', { a }, error).pipe(inlineCitations())).toBe('-a(z#)', { a: { ...a, content: 'end ' }, z: { provider: 'perplexity', seq: 1, bytes: 0, content: '[' } }, error);
    });
  });

  test('before any sources, and on a stream without any, the text passes unchanged (nothing held)', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'early [1] [');
      const b = chunk(1, '2] [3]', { citations: SOURCES });
      expectObservable(cold('-a-b|', { a, b }).pipe(inlineCitations())).toBe('-a-b|', { a, b: { ...b, content: `2] [3](${rails})` } });
      const plain = [chunk(0, 'no [1] sources ['), chunk(1, '2]')];
      expectObservable(cold('-a-b|', { a: plain[0], b: plain[1] }).pipe(inlineCitations())).toBe('-a-b|', { a: plain[0], b: plain[1] });
    });
  });

  test('a user format; a non-http source is not linked by the default format; a dropped source keeps its number', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, 'A[1] B[2]', { citations: SOURCES });
      expectObservable(cold('-a|', { a }).pipe(inlineCitations({ format: (n, c) => `<sup>${n}:${c.title ?? c.url}</sup>` }))).toBe('-a|', {
        a: { ...a, content: `A<sup>1:Ruby</sup> B<sup>2:${ruby}</sup>` },
      });
      const unsafe = chunk(0, 'X[1] Y[2]', { citations: [{ url: 'javascript:alert(1)' }, { url: wiki }] });
      expectObservable(cold('-a|', { a: unsafe }).pipe(inlineCitations())).toBe('-a|', { a: { ...unsafe, content: `X[1] Y[2](${wiki})` } });
      // validateSources dropped source 2: [2] stays, [3] still points at the third source
      const dropped = chunk(0, 'P[1] Q[2] R[3]', { citations: [SOURCES[0], SOURCES[2]], metadata: { droppedSources: [{ url: 'ftp://x', reason: 'not-http', index: 2 }] } });
      expectObservable(cold('-a|', { a: dropped }).pipe(inlineCitations())).toBe('-a|', { a: { ...dropped, content: `P[1](${wiki}) Q[2] R[3](${rails})` } });
    });
  });

  test('a URL with unbalanced parentheses or blanks is escaped in the link', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const a = chunk(0, '[1][2]', { citations: [{ url: 'https://a.example/x)y' }, { url: 'https://b.example/a b' }] });
      expectObservable(cold('-a|', { a }).pipe(inlineCitations())).toBe('-a|', { a: { ...a, content: '[1](https://a.example/x%29y)[2](https://b.example/a%20b)' } });
    });
  });

  test('unsubscribing early unsubscribes from the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-|', { a: chunk(0, 'x[', { citations: SOURCES }), b: chunk(1, '1]') });
      expectObservable(source.pipe(inlineCitations()), '^--!').toBe('-a-', { a: chunk(0, 'x', { citations: SOURCES }) });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a bad format fails at creation', () => {
    expect(() => inlineCitations({ format: 'md' as never })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'format', expected: 'a function (n, citation) => string | undefined', got: '"md"' }] }),
    );
  });

  test('a synchronous firehose cut by take', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => chunk(i, i % 2 ? '1]' : ' [', i === 0 ? { citations: SOURCES } : {}));
    const first = await lastValueFrom(from(many).pipe(inlineCitations(), take(3), toArray()));
    expect(first.map((c) => c.content)).toEqual([' ', `[1](${wiki})`, ' ']);
  });

  describe('a marker cut at every split point holds back exactly what may still become one', () => {
    const urls = SOURCES.map((s) => s.url!);
    const texts = ['simplicity.[1][3]\n\nRails[2] and [12] or [0] x[', 'a[1]b[22][3', '[[2]]', '[2][2][', 'no markers [x] here'];
    for (const text of texts) {
      test(JSON.stringify(text), async () => {
        const cases: string[][] = [[text], [...text]];
        for (let i = 1; i < text.length; i++) cases.push([text.slice(0, i), text.slice(i)]);
        for (let i = 1; i < text.length; i++) for (let j = i + 1; j < text.length; j++) cases.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        for (const pieces of cases) {
          const input = pieces.map((p, i) => chunk(i, p, i === 0 ? { citations: SOURCES } : {}));
          const out = await lastValueFrom(from(input).pipe(inlineCitations(), toArray()));
          let sent = '';
          let prefix = '';
          pieces.forEach((piece, i) => {
            prefix += piece;
            sent += out[i].content ?? '';
            const held = mayStillBeMarker(prefix, urls.length);
            try {
              expect(sent).toBe(linkAll(prefix.slice(0, prefix.length - held.length), urls));
            } catch (error) {
              throw new Error(`pieces ${JSON.stringify(pieces)}, after ${i}: ${(error as Error).message}`);
            }
          });
          expect(out.map((c) => c.content ?? '').join('')).toBe(linkAll(text, urls));
          out.forEach((c, i) => expect(c.seq).toBe(i));
        }
      });
    }
  });
});

describe('validateSources', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));
  const cite = (...urls: string[]) => urls.map((url) => ({ url }));
  const check = (urls: string[], config = {}) => {
    let out: Chunk | undefined;
    from([chunk(0, 'x', { citations: cite(...urls) })]).pipe(validateSources(config)).subscribe((c) => (out = c));
    return out!;
  };

  test('each reason: malformed, not http(s), credentials (never repeated), denied, not allowed', () => {
    const out = check(
      [
        'https://ok.example/a',
        'not a url',
        'https://bad host.example/',
        'javascript:alert(1)',
        'ftp://files.example/x',
        'https://user:secret@internal.example/x',
        'https://tracker.ads.example/p',
        'http://other.example/',
      ],
      { allow: ['ok.example', 'internal.example', 'ads.example'], deny: ['ads.example'] },
    );
    expect(out.citations).toHaveLength(8);
    expect(out.metadata?.invalidSources).toEqual([
      { url: 'not a url', reason: 'malformed', index: 2 },
      { url: 'https://bad host.example/', reason: 'malformed', index: 3 },
      { url: 'javascript:alert(1)', reason: 'not-http', index: 4 },
      { url: 'ftp://files.example/x', reason: 'not-http', index: 5 },
      { url: 'https://***@internal.example/x', reason: 'credentials', index: 6 },
      { url: 'https://tracker.ads.example/p', reason: 'denied', index: 7 },
      { url: 'http://other.example/', reason: 'not-allowed', index: 8 },
    ]);
    expect(JSON.stringify(out.metadata)).not.toContain('secret');
  });

  test('a domain covers its subdomains only: wikipedia.org covers en.wikipedia.org, not notwikipedia.org; case and a leading *. do not matter', () => {
    const out = check(['https://en.wikipedia.org/wiki/Ruby', 'https://notwikipedia.org/', 'https://WIKIPEDIA.org/', 'https://en.wikipedia.org./x'], { allow: ['*.Wikipedia.ORG'] });
    expect(out.metadata?.invalidSources).toEqual([{ url: 'https://notwikipedia.org/', reason: 'not-allowed', index: 2 }]);
  });

  test("'drop' removes them from citations and lists them in droppedSources; no invalid source, the chunk is untouched", () => {
    const out = check(['https://a.example/', 'mailto:x@y.example', 'https://b.example/'], { onInvalid: 'drop' });
    expect(out.citations).toEqual(cite('https://a.example/', 'https://b.example/'));
    expect(out.metadata).toEqual({ droppedSources: [{ url: 'mailto:x@y.example', reason: 'not-http', index: 2 }] });
    const all = check(['ftp://a.example/'], { onInvalid: 'drop' });
    expect(all.citations).toBeUndefined();
    const clean = chunk(0, 'x', { citations: cite('https://a.example/') });
    let same: Chunk | undefined;
    from([clean]).pipe(validateSources()).subscribe((c) => (same = c));
    expect(same).toBe(clean);
  });

  test('marbles: one chunk in, one chunk out; only the chunk with citations changes', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const a = chunk(0, 'a', { citations: cite('https://ok.example/', 'javascript:alert(1)') });
      const b = chunk(1, 'b');
      const source = cold('--a--b--|', { a, b });
      expectObservable(source.pipe(validateSources({ onInvalid: 'drop' }))).toBe('--a--b--|', {
        a: { ...a, citations: cite('https://ok.example/'), metadata: { droppedSources: [{ url: 'javascript:alert(1)', reason: 'not-http', index: 2 }] } },
        b,
      });
      expectSubscriptions(source.subscriptions).toBe('^-------!');
    });
  });

  test('a bad configuration fails at creation, saying what to pass', () => {
    expect(() => validateSources({ onInvalid: 'fix' as never })).toThrow(/Invalid validateSources config: onInvalid: expected 'report' or 'drop', got "fix"/);
    expect(() => validateSources({ deny: ['https://example.com'] })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'deny.0', expected: "a domain name like 'example.com'", got: '"https://example.com"' }] }),
    );
    expect(() => validateSources({ allow: ['example.com/path'] })).toThrow(/allow\.0: expected a domain name/);
    expect(() => validateSources({ allow: ['ok.org', ''] })).toThrow(/allow\.1: expected a domain name/);
  });
});

describe('perplexity features on the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'perplexity');
  });
  afterAll(() => server.close());
  const markers = { 'x-mock-citation-markers': '1' };
  const sourcesOf = (slug: string) => [1, 2, 3].map((i) => `https://www.example.com/${slug}/${i}`);

  test('the mock cites with [n] markers, some cut across deltas, matching its sources', async () => {
    const messages = user('What is Ruby?');
    const { chunks } = await collect(streamChat$('perplexity', messages, { baseURL, headers: markers }));
    const text = answerFor(messages, { citations: 3 }).text;
    expect(text).toMatch(/\.\[1\]/);
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(text);
    expect(chunks.some((c) => c.content === '[')).toBe(true);
    expect(chunks[0].citations!.map((c) => c.url)).toEqual(sourcesOf('what-is-ruby'));
  });

  test('inlineCitations: every marker becomes a link to its source, also those cut across chunks', async () => {
    const messages = user('What is Ruby?');
    const { chunks, error } = await collect(streamChat$('perplexity', messages, { baseURL, headers: markers, inlineCitations: true }));
    expect(error).toBeUndefined();
    const text = answerFor(messages, { citations: 3 }).text;
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(linkAll(text, sourcesOf('what-is-ruby')));
    expect(chunks.map((c) => c.content ?? '').join('')).toMatch(/\.\[1\]\(https:\/\/www\.example\.com\/what-is-ruby\/1\)/);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    expect(server.requests[server.requests.length - 1].body).not.toHaveProperty('inlineCitations');
  });

  test('inlineCitations with a format', async () => {
    const { chunks } = await collect(
      streamChat$('perplexity', user('Why stream?'), { baseURL, headers: markers, inlineCitations: { format: (n: number) => `^${n}` } }),
    );
    const content = chunks.map((c) => c.content ?? '').join('');
    expect(content).toContain('.^1');
    expect(content).not.toMatch(/\[\d\]/);
  });

  test('validateSources: a denied domain is reported, or dropped; with drop, inlineCitations leaves the markers of dropped sources as they are', async () => {
    const messages = user('What is Ruby?');
    const reported = await collect(streamChat$('perplexity', messages, { baseURL, validateSources: { deny: ['example.com'] } }));
    expect(reported.chunks[0].citations).toHaveLength(3);
    expect(reported.chunks[0].metadata?.invalidSources).toEqual(sourcesOf('what-is-ruby').map((url, i) => ({ url, reason: 'denied', index: i + 1 })));

    const dropped = await collect(streamChat$('perplexity', messages, { baseURL, headers: markers, validateSources: { allow: ['wikipedia.org'], onInvalid: 'drop' }, inlineCitations: true }));
    expect(dropped.chunks.some((c) => c.citations)).toBe(false);
    expect(dropped.chunks[0].metadata?.droppedSources).toHaveLength(3);
    expect(dropped.chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(messages, { citations: 3 }).text);
  });

  test('the search options reach the server as request fields', async () => {
    await collect(streamChat$('perplexity', user('Papers on streams'), { baseURL, searchMode: 'academic', searchLanguageFilter: ['en'], returnRelatedQuestions: true, webSearchOptions: { searchContextSize: 'low' } }));
    expect(server.requests[server.requests.length - 1].body).toMatchObject({
      search_mode: 'academic',
      search_language_filter: ['en'],
      return_related_questions: true,
      web_search_options: { search_context_size: 'low' },
    });
  });

  test('with the options off the stream is unchanged chunk for chunk', async () => {
    const messages = user('What is Ruby?');
    const plain = await collect(streamChat$('perplexity', messages, { baseURL, headers: markers }));
    const off = await collect(streamChat$('perplexity', messages, { baseURL, headers: markers, inlineCitations: false, validateSources: false }));
    expect(off).toEqual(plain);
    // and on a text without markers and with valid sources, on changes nothing either
    const bare = await collect(streamChat$('perplexity', messages, { baseURL }));
    const on = await collect(streamChat$('perplexity', messages, { baseURL, inlineCitations: true, validateSources: true }));
    expect(on).toEqual(bare);
  });
});
