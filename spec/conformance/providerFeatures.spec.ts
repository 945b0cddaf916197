import { streamChat$, type Chunk, type ProviderId } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { expectedOpenAIStyle, fixtureBytes } from '../support/fixtures';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * The provider options of Mistral, Perplexity and LM Studio on recorded streams, whole and cut at
 * random byte offsets. Expected values come from the recordings' reference results.
 */
describe('provider features on recorded streams', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const SEEDS = 12;
  /** the chunks of `name` replayed whole (seed 0) or cut at the seed's random offsets */
  const replay = async (name: string, seed: number, provider: ProviderId, options: Record<string, unknown>) => {
    const body = fixtureBytes(name);
    const random = seededRandom(seed * 7919 + body.length);
    const cuts = seed === 0 ? [] : randomCuts(random, body.length, 1 + Math.floor(random() * 12));
    server.respondWith({ body, cuts });
    const outcome = await collect(streamChat$(provider, [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'test-replay-key', ...options }));
    outcome.chunks.forEach((c, i) => expect(c.seq).toBe(i));
    return outcome;
  };
  const textOf = (chunks: Chunk[]) => chunks.map((c) => c.content ?? '').join('');

  /** Perplexity's `citations` of a recording, from its reference result. */
  const citationsOf = (name: string) => (expectedOpenAIStyle(name).other_top_level?.citations?.distinct_values[0] ?? []) as string[];
  /** every `[n]` of a cited source as a Markdown link (written here, apart from the operator) */
  const linkAll = (text: string, urls: readonly (string | undefined)[]) =>
    text.replace(/\[(\d+)\]/g, (marker, digits: string) => (urls[Number(digits) - 1] ? `[${digits}](${urls[Number(digits) - 1]})` : marker));

  describe('perplexity-citations.txt', () => {
    const name = 'perplexity-citations.txt';
    const expected = () => expectedOpenAIStyle(name).choices['0'].content;

    test(`inlineCitations: every marker becomes a link to its source, whole and over ${SEEDS} random cuts`, async () => {
      const urls = citationsOf(name);
      expect(urls).toHaveLength(7);
      expect(expected().match(/\[\d+\]/g)).toHaveLength(11);
      for (let seed = 0; seed <= SEEDS; seed++) {
        const { chunks, error } = await replay(name, seed, 'perplexity', { inlineCitations: true });
        expect(error).toBeUndefined();
        expect(textOf(chunks)).toBe(linkAll(expected(), urls));
      }
      // the Wikipedia URL's balanced parentheses stay as they are in the link
      expect(linkAll(expected(), urls)).toContain('[1](https://en.wikipedia.org/wiki/Ruby_(programming_language))');
    });

    test('validateSources: all recorded sources are well-formed; a deny list reports the denied one at its marker number', async () => {
      const urls = citationsOf(name);
      const clean = await replay(name, 0, 'perplexity', { validateSources: true });
      expect(clean.chunks.some((c) => c.metadata?.invalidSources)).toBe(false);
      const denied = await replay(name, 3, 'perplexity', { validateSources: { deny: ['youtube.com'] } });
      const withSources = denied.chunks.filter((c) => c.citations);
      expect(withSources).toHaveLength(1);
      expect(withSources[0].metadata?.invalidSources).toEqual([{ url: urls[6], reason: 'denied', index: 7 }]);
      expect(withSources[0].citations).toHaveLength(7);
    });

    test('validateSources drop + inlineCitations: only the allowed sources stay and are linked; the other markers stay as they are', async () => {
      const urls = citationsOf(name);
      for (const seed of [0, 5, 9]) {
        const { chunks, error } = await replay(name, seed, 'perplexity', { validateSources: { allow: ['wikipedia.org', 'ruby-lang.org'], onInvalid: 'drop' }, inlineCitations: true });
        expect(error).toBeUndefined();
        const kept = urls.map((url) => (/wikipedia\.org|ruby-lang\.org/.test(url) ? url : undefined));
        expect(chunks.find((c) => c.citations)!.citations!.map((c) => c.url)).toEqual(kept.filter(Boolean));
        expect(textOf(chunks)).toBe(linkAll(expected(), kept));
        expect((chunks.find((c) => c.metadata?.droppedSources)!.metadata!.droppedSources as unknown[]).length).toBe(5);
      }
    });
  });

  test('perplexity-citations-trimmed.txt: the two adjacent markers become two links', async () => {
    const name = 'perplexity-citations-trimmed.txt';
    const urls = citationsOf(name);
    const content = expectedOpenAIStyle(name).choices['0'].content;
    expect(content).toContain('[2][3]');
    for (let seed = 0; seed <= SEEDS; seed++) {
      const { chunks, error } = await replay(name, seed, 'perplexity', { inlineCitations: true });
      expect(error).toBeUndefined();
      expect(textOf(chunks)).toBe(linkAll(content, urls));
    }
  });

  test('lmstudio-v0-text-nostats.txt: no server stats in the stream, so showPerformance measures (on the finish chunk)', async () => {
    const name = 'lmstudio-v0-text-nostats.txt';
    const expected = expectedOpenAIStyle(name);
    // a REST v0 body: native 'v0' (native: true would ask REST v1, another grammar)
    for (const [seed, native] of [[0, 'v0'], [4, 'v0'], [7, false]] as const) {
      const { chunks, error } = await replay(name, seed, 'lmstudio', { showPerformance: true, native });
      expect(error).toBeUndefined();
      expect(textOf(chunks)).toBe(expected.choices['0'].content);
      expect(chunks.some((c) => c.metadata?.stats)).toBe(false);
      const withPerformance = chunks.filter((c) => c.metadata?.performance);
      expect(withPerformance).toEqual([chunks[chunks.length - 1]]);
      expect(withPerformance[0].finishReason).toBe('stop');
      const performance = withPerformance[0].metadata!.performance as Record<string, unknown>;
      // one token-carrying chunk and no usage in the recording: one estimated token, no rate
      expect(expected.usage).toBeNull();
      expect(performance).toMatchObject({ source: 'measured', outputTokens: 1, outputTokensEstimated: true, generationTimeMs: 0 });
      expect(performance.timeToFirstTokenMs).toEqual(expect.any(Number));
      expect(performance.timeToFirstTokenMs as number).toBeGreaterThanOrEqual(0);
      expect(performance).not.toHaveProperty('tokensPerSecond');
    }
  });

  test('mistral-reasoning-magistral.txt: formatCodeBlocks finds the recorded ```markdown block, however the bytes are cut', async () => {
    const name = 'mistral-reasoning-magistral.txt';
    const content = expectedOpenAIStyle(name).choices['0'].content;
    const m = /```markdown\n([\s\S]*?\n)```/.exec(content)!;
    expect(m).not.toBeNull();
    for (let seed = 0; seed <= SEEDS; seed++) {
      const { chunks, error } = await replay(name, seed, 'mistral', { formatCodeBlocks: true });
      expect(error).toBeUndefined();
      expect(textOf(chunks)).toBe(content);
      const blocks = chunks.map((c) => c.metadata?.completedCodeBlock).filter(Boolean);
      expect(blocks).toEqual([{ index: 0, language: 'markdown', code: m[1] }]);
      const marked = chunks.filter((c) => c.metadata?.codeBlock).map((c) => c.content).join('');
      expect(marked).toContain(m[1]);
      expect(marked).not.toContain('By following these steps');
    }
  });
});
