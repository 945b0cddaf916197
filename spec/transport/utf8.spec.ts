import { streamChat$ } from '../../lib';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const TEXT = ['Smile 😀 ', '漢字 and ', 'naïve — done'];
const body = Buffer.from(
  TEXT.map((content) => `data: ${JSON.stringify({ id: 'u', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`).join('') +
    `data: ${JSON.stringify({ id: 'u', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`,
  'utf8',
);

/** Every byte offset that falls inside a multi-byte character of the body. */
function offsetsInsideCharacters(bytes: Buffer): number[] {
  const inside: number[] = [];
  for (let i = 1; i < bytes.length; i++) if ((bytes[i] & 0b1100_0000) === 0b1000_0000) inside.push(i);
  return inside;
}

describe('UTF-8 across reads', () => {
  let replay: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => (replay = await startReplayServer()));
  afterAll(() => replay.close());

  const inside = offsetsInsideCharacters(body);

  test('the body has characters of 2, 3 and 4 bytes to split', () => {
    // 😀 (4 bytes) gives 3 inner offsets, each CJK character 2, ï 1, — 2
    expect(inside.length).toBe(3 + 2 + 2 + 1 + 2);
  });

  test.each(inside)('a cut at byte %i (inside a character) leaves every character whole', async (cut) => {
    replay.respondWith({ body, cuts: [cut] });
    const { chunks, error } = await collect(streamChat$('openai', [{ role: 'user', content: 'x' }], { baseURL: replay.url, apiKey: 'k-123456' }));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(TEXT.join(''));
  });

  test('a cut inside every multi-byte character at once', async () => {
    replay.respondWith({ body, cuts: inside });
    const { chunks } = await collect(streamChat$('openai', [{ role: 'user', content: 'x' }], { baseURL: replay.url, apiKey: 'k-123456' }));
    expect(chunks.map((c) => c.content ?? '')).toEqual([...TEXT, '']);
  });
});
