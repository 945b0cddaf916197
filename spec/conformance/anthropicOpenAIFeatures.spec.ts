import { streamChat$, type Chunk } from '../../lib';
import { anthropic, type QualityReport } from '../../providers/anthropic';
import { openai, type FunctionCallHighlight, type ModerationReport } from '../../providers/openai';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { expectedByName, expectedOpenAIStyle, fixtureBytes, fixtureNames } from '../support/fixtures';
import { randomCuts, startReplayServer } from '../support/replayServer';

/** The reference parser's result for one recorded Anthropic stream (EXPECTED.json), as far as read here. */
interface AnthropicExpected {
  blocks: Array<{ type: string; text?: string; thinking?: string; signature?: string }>;
  stop_reason: string | null;
  error: unknown;
  sawMessageStop: boolean;
}

/** The chunks without what a feature added: its synthetic chunks dropped, its metadata keys removed, `seq` renumbered. */
function withoutFeatures(chunks: Chunk[], isAdded: (c: Chunk) => boolean, keys: readonly string[]): Chunk[] {
  return chunks
    .filter((c) => !isAdded(c))
    .map((c, seq) => {
      const out: Chunk = { ...c, seq };
      if (!c.metadata) return out;
      const rest = Object.fromEntries(Object.entries(c.metadata).filter(([key]) => !keys.includes(key)));
      if (Object.keys(rest).length > 0) out.metadata = rest;
      else delete out.metadata;
      return out;
    });
}

describe('provider features on recorded streams', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const replay = (name: string, cuts: number[] = []) => server.respondWith({ body: fixtureBytes(name), cuts });
  const anthropicRun = (name: string, options: Record<string, unknown>, cuts: number[] = []) => {
    replay(name, cuts);
    return collect(streamChat$(anthropic, [{ role: 'user', content: 'replay' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-ant-test-replay', ...options }));
  };
  const openaiRun = (name: string, options: Record<string, unknown>, cuts: number[] = []) => {
    replay(name, cuts);
    return collect(streamChat$(openai, [{ role: 'user', content: 'replay' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-test-replay', ...options }));
  };

  describe('Anthropic annotateReasoning', () => {
    for (const name of ['anthropic-thinking.txt', 'anthropic-thinking-tool.txt']) {
      test(`${name}: the thinking block is framed, with its recorded signature, whole and split at random offsets`, async () => {
        const expected = expectedByName(name) as unknown as AnthropicExpected;
        const thinking = expected.blocks.filter((b) => b.type === 'thinking');
        expect(thinking).toHaveLength(1);
        const body = fixtureBytes(name);
        for (let seed = 0; seed <= 10; seed++) {
          const cuts = seed === 0 ? [] : randomCuts(seededRandom(seed * 31 + body.length), body.length, 1 + seed);
          const { chunks, error } = await anthropicRun(name, { annotateReasoning: true }, cuts);
          expect(error).toBeUndefined();
          const annotation = (c: Chunk) => c.metadata?.annotation;
          const startAt = chunks.findIndex((c) => annotation(c) === 'reasoning-start');
          const endAt = chunks.findIndex((c) => annotation(c) === 'reasoning-end');
          expect(chunks.filter((c) => annotation(c) === 'reasoning-start')).toHaveLength(1);
          expect(chunks.filter((c) => annotation(c) === 'reasoning-end')).toHaveLength(1);
          expect(startAt).toBeLessThan(endAt);
          // the frame holds exactly the block's thinking, every delta marked
          const inside = chunks.slice(startAt + 1, endAt);
          expect(inside.map((c) => c.reasoning ?? '').join('')).toBe(thinking[0].thinking);
          inside.filter((c) => c.reasoning).forEach((c) => expect(c.metadata).toMatchObject({ annotation: 'reasoning', reasoningBlock: 0 }));
          expect(chunks.slice(0, startAt).some((c) => c.reasoning)).toBe(false);
          expect(chunks.slice(endAt + 1).some((c) => c.reasoning)).toBe(false);
          // the end comes before what follows the thinking: the text, or the tool call
          const nextAt = chunks.findIndex((c) => c.content || c.toolCalls?.length);
          expect(nextAt).toBe(endAt + 1);
          expect(chunks[endAt]).toMatchObject({ bytes: 0, metadata: { annotation: 'reasoning-end', reasoningBlock: 0, thinkingSignature: thinking[0].signature } });
          expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
        }
      });
    }
  });

  describe('Anthropic validateQuality', () => {
    for (const name of fixtureNames('anthropic-')) {
      test(`${name}: the report matches the recording (empty answer, max_tokens cut, no false loop); an error passes as it is`, async () => {
        const expected = expectedByName(name) as unknown as AnthropicExpected;
        const { chunks, error } = await anthropicRun(name, { validateQuality: true });
        const reports = chunks.filter((c) => c.metadata?.quality);
        if (expected.error || !expected.sawMessageStop) {
          expect(error).toBeDefined();
          expect(reports).toHaveLength(0);
          return;
        }
        expect(error).toBeUndefined();
        expect(reports).toHaveLength(1);
        const last = chunks[chunks.length - 1];
        expect(last.metadata?.quality).toBeDefined();
        expect(last.finishReason).toBeDefined(); // on the provider's finish chunk, not a chunk of its own
        const answered = expected.blocks.some((b) => (b.type === 'text' && (b.text ?? '').trim() !== '') || b.type === 'tool_use');
        const types = [...(answered ? [] : ['empty']), ...(expected.stop_reason === 'max_tokens' ? ['truncated'] : [])];
        const quality = last.metadata!.quality as QualityReport;
        expect(quality.issues.map((i) => i.type)).toEqual(types);
        expect(quality.ok).toBe(types.length === 0);
      });
    }
  });

  describe('Anthropic options off / on', () => {
    for (const name of fixtureNames('anthropic-')) {
      test(`${name}: off, the stream is unchanged chunk for chunk; on, removing the additions gives it back`, async () => {
        const plain = await anthropicRun(name, {});
        const off = await anthropicRun(name, { annotateReasoning: false, validateQuality: false });
        expect(off.chunks).toEqual(plain.chunks);
        expect(String(off.error)).toBe(String(plain.error));
        const on = await anthropicRun(name, { annotateReasoning: true, validateQuality: true });
        const added = (c: Chunk) => c.metadata?.annotation === 'reasoning-start' || c.metadata?.annotation === 'reasoning-end';
        expect(withoutFeatures(on.chunks, added, ['annotation', 'reasoningBlock', 'quality'])).toEqual(plain.chunks);
        expect(String(on.error)).toBe(String(plain.error));
      });
    }
  });

  describe('OpenAI highlightFunctionCalls', () => {
    for (const name of ['openai-chat-parallel-tool-calls.txt', 'openai-chat-tool-call.txt']) {
      test(`${name}: one announcement per recorded call, with its parsed arguments, before the next call and before the finish`, async () => {
        const expected = expectedOpenAIStyle(name).choices['0'];
        const calls = Object.entries(expected.tool_calls).sort(([a], [b]) => Number(a) - Number(b));
        const body = fixtureBytes(name);
        for (let seed = 0; seed <= 10; seed++) {
          const cuts = seed === 0 ? [] : randomCuts(seededRandom(seed * 17 + body.length), body.length, 1 + seed);
          const { chunks, error } = await openaiRun(name, { highlightFunctionCalls: { render: true } }, cuts);
          expect(error).toBeUndefined();
          const highlights = chunks.filter((c) => c.metadata?.functionCall);
          expect(highlights.map((c) => c.metadata!.functionCall as FunctionCallHighlight)).toEqual(
            calls.map(([index, call]) => ({
              index: Number(index),
              id: call.id,
              name: call.name,
              arguments: call.parsed_arguments,
              rendering: `${call.name}(${Object.entries(call.parsed_arguments as Record<string, unknown>)
                .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
                .join(', ')})`,
            })),
          );
          highlights.forEach((h, i) => {
            const at = chunks.indexOf(h);
            const next = chunks[at + 1];
            if (i + 1 < calls.length) expect(next.toolCalls?.[0]).toMatchObject({ index: i + 1, id: calls[i + 1][1].id });
            else expect(next.finishReason).toBe('tool_calls');
            expect(h.bytes).toBe(0);
          });
        }
      });
    }
  });

  describe('OpenAI contentModeration (a user check; the replay server has no moderation endpoint)', () => {
    test('openai-chat-text.txt: a check that never flags sees whole sentences, the whole text last, and the stream is unchanged', async () => {
      const content = expectedOpenAIStyle('openai-chat-text.txt').choices['0'].content;
      const plain = await openaiRun('openai-chat-text.txt', {});
      const seen: string[] = [];
      const moderated = await openaiRun('openai-chat-text.txt', {
        contentModeration: { check: async (text: string) => (seen.push(text), { flagged: false }) },
      });
      expect(moderated.chunks).toEqual(plain.chunks);
      expect(seen.length).toBeGreaterThan(1);
      seen.forEach((text, i) => {
        expect(content.startsWith(text)).toBe(true);
        if (i > 0) expect(text.length).toBeGreaterThan(seen[i - 1].length);
      });
      expect(seen[seen.length - 1]).toBe(content);
    });

    test('openai-chat-text.txt: a check that flags a word ends the stream with content_filter once the text holding it was checked', async () => {
      const content = expectedOpenAIStyle('openai-chat-text.txt').choices['0'].content;
      expect(content).toContain('empathy');
      const seen: string[] = [];
      const check = async (text: string) => {
        seen.push(text);
        return { flagged: text.includes('empathy'), categories: { 'word-list': text.includes('empathy') } };
      };
      const { chunks, error } = await openaiRun('openai-chat-text.txt', { contentModeration: { check } });
      expect(error).toBeUndefined();
      const last = chunks[chunks.length - 1];
      expect(last.finishReason).toBe('content_filter');
      const moderation = last.metadata!.moderation as ModerationReport;
      expect(moderation).toMatchObject({ flagged: true, categories: ['word-list'] });
      expect(content.slice(0, moderation.checkedLength)).toContain('empathy');
      // the first check whose text held the word flagged it, and none came after
      expect(seen.filter((text) => text.includes('empathy'))).toEqual([seen[seen.length - 1]]);
      expect(moderation.checkedLength).toBe(seen[seen.length - 1].length);
      expect(content.startsWith(chunks.map((c) => c.content ?? '').join(''))).toBe(true);
    });
  });

  describe('OpenAI options off / on', () => {
    for (const name of fixtureNames('openai-')) {
      test(`${name}: off, the stream is unchanged chunk for chunk; on, removing the announcements gives it back`, async () => {
        const plain = await openaiRun(name, {});
        const off = await openaiRun(name, { highlightFunctionCalls: false, contentModeration: false });
        expect(off.chunks).toEqual(plain.chunks);
        expect(String(off.error)).toBe(String(plain.error));
        const on = await openaiRun(name, { highlightFunctionCalls: true });
        expect(withoutFeatures(on.chunks, (c) => c.metadata?.functionCall !== undefined, [])).toEqual(plain.chunks);
        expect(String(on.error)).toBe(String(plain.error));
      });
    }
  });
});
