import { from, lastValueFrom, take, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { isProviderStreamError, streamChat$, type Chunk } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { CodeFenceTracker, formatCodeBlocks, mistral, type CompletedCodeBlock } from '../../providers/mistral';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { MOCK_SNIPPETS } from '../../testing/mockCodeAnswer';
import { collect } from '../support/collect';

const chunk = (seq: number, content?: string, extra: Partial<Chunk> = {}): Chunk => ({ provider: 'mistral', seq, bytes: 10, ...(content === undefined ? {} : { content }), ...extra });
const mark = (index: number, language: string | null) => ({ codeBlock: { index, language } });
const done = (seq: number, block: CompletedCodeBlock): Chunk => ({ provider: 'mistral', seq, bytes: 0, metadata: { completedCodeBlock: block } });

/**
 * The fenced blocks of a whole text, found line by line (independently of the streaming tracker):
 * each block with its code, where its closing fence line starts, and the character ranges of its
 * code lines (line ends included).
 */
function referenceBlocks(text: string) {
  const blocks: Array<CompletedCodeBlock & { closeAt: number }> = [];
  const codeRanges: Array<{ start: number; end: number; index: number }> = [];
  let open: { char: string; length: number; indent: number; index: number; language: string | null; code: string } | undefined;
  let offset = 0;
  while (offset < text.length) {
    const nl = text.indexOf('\n', offset);
    const end = nl < 0 ? text.length : nl + 1;
    const line = text.slice(offset, end);
    const body = line.endsWith('\n') ? line.slice(0, -1) : line;
    if (!open) {
      const m = /^([ \t]*)(`{3,}|~{3,})(.*)$/.exec(body);
      if (m && !(m[2][0] === '`' && m[3].includes('`'))) {
        open = { char: m[2][0], length: m[2].length, indent: m[1].length, index: blocks.length, language: m[3].trim().split(/\s+/)[0] || null, code: '' };
      }
    } else {
      const c = /^[ \t\r]*(`+|~+)[ \t\r]*$/.exec(body);
      if (c && c[1][0] === open.char && c[1].length >= open.length) {
        blocks.push({ index: open.index, language: open.language, code: open.code, closeAt: offset });
        open = undefined;
      } else {
        codeRanges.push({ start: offset, end, index: open.index });
        const lead = /^[ \t]*/.exec(line)![0].length;
        open.code += line.slice(Math.min(lead, open.indent));
      }
    }
    offset = end;
  }
  if (open) blocks.push({ index: open.index, language: open.language, code: open.code, unterminated: true, closeAt: text.length });
  return { blocks, codeRanges };
}

/** What `formatCodeBlocks` must emit for `text` cut into `pieces`, from the reference. */
function expectedFor(text: string, pieces: string[]) {
  const { blocks, codeRanges } = referenceBlocks(text);
  const out: Array<{ content?: string; codeBlock?: unknown; completed?: unknown }> = [];
  let start = 0;
  pieces.forEach((piece) => {
    const end = start + piece.length;
    const range = codeRanges.find((r) => r.start < end && r.end > start);
    const language = range === undefined ? undefined : blocks.find((b) => b.index === range.index)!.language;
    out.push(range ? { content: piece, codeBlock: { index: range.index, language } } : { content: piece });
    for (const b of blocks) if (!b.unterminated && b.closeAt >= start && b.closeAt < end) out.push({ completed: withoutCloseAt(b) });
    start = end;
  });
  for (const b of blocks) if (b.unterminated) out.push({ completed: withoutCloseAt(b) });
  return out;
}
const withoutCloseAt = ({ closeAt: _, ...block }: CompletedCodeBlock & { closeAt: number }) => block;

const run = (pieces: string[]) =>
  lastValueFrom(from(pieces.map((p, i) => chunk(i, p))).pipe(formatCodeBlocks(), toArray())).then((chunks) => {
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    return chunks.map((c) => {
      const completed = c.metadata?.completedCodeBlock;
      if (completed) return { completed };
      return c.metadata?.codeBlock ? { content: c.content, codeBlock: c.metadata.codeBlock } : { content: c.content };
    });
  });

const TEXTS = [
  'Intro:\n```ts\nconst a = 1;\n```\nAfter.',
  "~~~~python title\n  x = '```'\n```\n~~~~\n",
  '  ```js\n    let x;\n  ```\n',
  'A `` `inline` `` and ```js``` no fence\n```\nnever closed\n``',
  '```\n```\n',
  'x\n```a\n1\n````\n```b\n2\n``` \r\n',
  '```py',
  'Code:\n```bash\necho hi\n```',
  '````md\n``` \n```x\n````\n',
];

describe('CodeFenceTracker', () => {
  test('reads a block whole: language, code without the fences, the place its closing fence began', () => {
    const tracker = new CodeFenceTracker();
    const step = tracker.feed('Here:\n```py\nprint(1)\n```\nok');
    expect(step.code).toEqual({ index: 0, language: 'py' });
    expect(step.closed).toEqual([{ block: { index: 0, language: 'py', code: 'print(1)\n' }, beganIn: 1 }]);
    expect(step.pending).toBe(false);
    expect(tracker.end().closed).toEqual([]);
  });

  test('a line inside a block that may still be the closing fence is pending until it is decided', () => {
    const tracker = new CodeFenceTracker();
    tracker.feed('```\ncode\n');
    const fence = tracker.feed('``');
    expect(fence).toMatchObject({ pending: true, closed: [] });
    expect(fence.code).toBeUndefined();
    expect(tracker.feed('`').pending).toBe(true);
    const decided = tracker.feed('\n');
    expect(decided).toMatchObject({ resolved: 'fence', closed: [{ block: { index: 0, language: null, code: 'code\n' }, beganIn: 2 }] });

    const again = new CodeFenceTracker();
    again.feed('```\n');
    again.feed('``');
    expect(again.feed('x\n')).toMatchObject({ resolved: 'code', resolvedBlock: { index: 0, language: null }, code: { index: 0 } });
  });

  test('the end decides the open line and reports a block left open as unterminated', () => {
    const closedAtEnd = new CodeFenceTracker();
    closedAtEnd.feed('```js\nx\n```');
    expect(closedAtEnd.end()).toMatchObject({ resolved: 'fence', closed: [{ block: { index: 0, language: 'js', code: 'x\n' } }] });

    const open = new CodeFenceTracker();
    open.feed('~~~\nx\n~~');
    expect(open.end()).toMatchObject({ resolved: 'code', closed: [{ block: { index: 0, language: null, code: 'x\n~~', unterminated: true } }] });
  });

  test('a long block fed in small pieces (100 000 lines) closes whole, its code exact (its speed is for bench/, not a test)', () => {
    const tracker = new CodeFenceTracker();
    const line = 'let value = compute(42); // a line of code\n';
    tracker.feed('```ts\n');
    for (let i = 0; i < 100_000; i++) expect(tracker.feed(line).closed).toEqual([]);
    const step = tracker.feed('```\n');
    const closed = [...step.closed, ...tracker.end().closed];
    expect(closed).toHaveLength(1);
    expect(closed[0].block).toMatchObject({ index: 0, language: 'ts' });
    expect((closed[0].block as { code: string }).code).toBe(line.repeat(100_000));
  });
});

describe('formatCodeBlocks', () => {
  describe('agrees with a whole-text reading, however the text is cut', () => {
    for (const text of TEXTS) {
      test(`${JSON.stringify(text)}: at every split point, every pair of split points, and one character a chunk`, async () => {
        const splits: string[][] = [[text], [...text]];
        for (let i = 1; i < text.length; i++) splits.push([text.slice(0, i), text.slice(i)]);
        for (let i = 1; i < text.length; i++) for (let j = i + 1; j < text.length; j++) splits.push([text.slice(0, i), text.slice(i, j), text.slice(j)]);
        for (const pieces of splits) {
          const actual = await run(pieces);
          try {
            expect(actual).toEqual(expectedFor(text, pieces));
          } catch (error) {
            throw new Error(`pieces ${JSON.stringify(pieces)}: ${(error as Error).message}`);
          }
        }
      });
    }

    test('the reference itself: blocks of the sample texts', () => {
      expect(referenceBlocks(TEXTS[0]).blocks.map(withoutCloseAt)).toEqual([{ index: 0, language: 'ts', code: 'const a = 1;\n' }]);
      expect(referenceBlocks(TEXTS[1]).blocks.map(withoutCloseAt)).toEqual([{ index: 0, language: 'python', code: "  x = '```'\n```\n" }]);
      expect(referenceBlocks(TEXTS[2]).blocks.map(withoutCloseAt)).toEqual([{ index: 0, language: 'js', code: '  let x;\n' }]);
      expect(referenceBlocks(TEXTS[3]).blocks.map(withoutCloseAt)).toEqual([{ index: 0, language: null, code: 'never closed\n``', unterminated: true }]);
      expect(referenceBlocks(TEXTS[5]).blocks.map(withoutCloseAt)).toEqual([
        { index: 0, language: 'a', code: '1\n' },
        { index: 1, language: 'b', code: '2\n' },
      ]);
      expect(referenceBlocks(TEXTS[6]).blocks.map(withoutCloseAt)).toEqual([{ index: 0, language: 'py', code: '', unterminated: true }]);
    });
  });

  describe('marbles', () => {
    let scheduler: TestScheduler;
    beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

    test('holds a chunk only while its line may be the closing fence, then announces the block after the chunk the fence began in', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const a = chunk(0, 'Run:\n```sh\nls -l\n');
        const b = chunk(1, '``');
        const c = chunk(2, '`\n\nDone');
        const d = chunk(3, undefined, { finishReason: 'stop' });
        const source = cold('--a--------b-----c------d--|', { a, b, c, d });
        expectObservable(source.pipe(formatCodeBlocks())).toBe('--a--------------(bXc)--d--|', {
          a: { ...a, metadata: mark(0, 'sh') },
          b,
          X: done(2, { index: 0, language: 'sh', code: 'ls -l\n' }),
          c: { ...c, seq: 3 },
          d: { ...d, seq: 4 },
        });
        expectSubscriptions(source.subscriptions).toBe('^--------------------------!');
      });
    });

    test('a held line that turns out to be code marks the held chunks too', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const a = chunk(0, '```\n');
        const b = chunk(1, '``');
        const c = chunk(2, '` not a fence\n```\n');
        const source = cold('-a-b-c-----|', { a, b, c });
        expectObservable(source.pipe(formatCodeBlocks())).toBe('-a---(bcX)-|', {
          a,
          b: { ...b, metadata: mark(0, null) },
          c: { ...c, metadata: mark(0, null) },
          X: done(3, { index: 0, language: null, code: '``` not a fence\n' }),
        });
      });
    });

    test('a fence cut across two chunks opens the block; a chunk without content is not held for a line it has no part in', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const a = chunk(0, 'See:\n``');
        const b = chunk(1, '`rust\nfn main() {}\n``');
        const u = chunk(2, undefined, { usage: { outputTokens: 9 } });
        const c = chunk(3, '`');
        const source = cold('-a-b-u-c-|', { a, b, u, c });
        expectObservable(source.pipe(formatCodeBlocks())).toBe('-a-b-u---(Xc|)', {
          a,
          b: { ...b, metadata: mark(0, 'rust') },
          u,
          X: done(3, { index: 0, language: 'rust', code: 'fn main() {}\n' }),
          c: { ...c, seq: 4 },
        });
      });
    });

    test('an unterminated block is announced at the end, with unterminated: true', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const a = chunk(0, '```py\nprint(1)\n');
        const b = chunk(1, 'print(2)', { finishReason: 'length' });
        expectObservable(cold('-a-b|', { a, b }).pipe(formatCodeBlocks())).toBe('-a-b(X|)', {
          a: { ...a, metadata: mark(0, 'py') },
          b: { ...b, metadata: mark(0, 'py') },
          X: done(2, { index: 0, language: 'py', code: 'print(1)\nprint(2)', unterminated: true }),
        });
      });
    });

    test('an error: what was held and the open block go out first, then the error', () => {
      scheduler.run(({ cold, expectObservable }) => {
        const a = chunk(0, '```\nx\n');
        const b = chunk(1, '```');
        const error = new Error('connection reset');
        expectObservable(cold('-a-b-#', { a, b }, error).pipe(formatCodeBlocks())).toBe('-a---(bX#)', {
          a: { ...a, metadata: mark(0, null) },
          b,
          X: done(2, { index: 0, language: null, code: 'x\n' }),
        }, error);
      });
    });

    test('unsubscribing early unsubscribes from the source and drops what was held', () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold('-a-b-c-|', { a: chunk(0, '```\n'), b: chunk(1, '``'), c: chunk(2, '`\n') });
        expectObservable(source.pipe(formatCodeBlocks()), '^---!').toBe('-a---', { a: chunk(0, '```\n') });
        expectSubscriptions(source.subscriptions).toBe('^---!');
      });
    });

    test('a synchronous firehose cut by take', async () => {
      const many = Array.from({ length: 10_000 }, (_, i) => chunk(i, i === 0 ? '```\n' : 'x\n'));
      const first = await lastValueFrom(from(many).pipe(formatCodeBlocks(), take(3), toArray()));
      expect(first.map((c) => c.seq)).toEqual([0, 1, 2]);
      expect(first[1].metadata).toEqual(mark(0, null));
    });
  });

  test('the option: formatCodeBlocks is checked as a boolean, and is not sent', () => {
    const { request } = prepareRequest('mistral', [{ role: 'user', content: 'Hi' }], { apiKey: 'k', formatCodeBlocks: true, safePrompt: true });
    expect(request.body).not.toHaveProperty('formatCodeBlocks');
    expect(request.body).toMatchObject({ safe_prompt: true });
    expect(() => prepareRequest('mistral', [{ role: 'user', content: 'Hi' }], { apiKey: 'k', formatCodeBlocks: 'yes' })).toThrow(/formatCodeBlocks/);
    const context = (formatCodeBlocks?: boolean) => ({ options: { model: 'm', baseURL: 'https://api.mistral.ai/v1', formatCodeBlocks }, request, secrets: [] });
    expect(mistral.features!(context(false))).toEqual([]);
    expect(mistral.features!(context(undefined))).toEqual([]);
    expect(mistral.features!(context(true))).toHaveLength(1);
  });
});

describe('formatCodeBlocks on the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = mockBaseURL(server, 'mistral');
  });
  afterAll(() => server.close());

  const ask = (content: string) => [{ role: 'user' as const, content }];
  const completedOf = (chunks: Chunk[]) => chunks.map((c) => c.metadata?.completedCodeBlock).filter(Boolean);

  test('an answer with code: chunks inside the block are marked, the finished block follows, the text is unchanged', async () => {
    const messages = ask('Show me the code in Python');
    const { chunks, error } = await collect(streamChat$('mistral', messages, { baseURL, formatCodeBlocks: true }));
    expect(error).toBeUndefined();
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(messages).text);
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    expect(completedOf(chunks)).toEqual([{ index: 0, language: 'python', code: MOCK_SNIPPETS.python }]);
    // the marked chunks hold the code (and the line ends around it), nothing of the prose
    const marked = chunks.filter((c) => c.metadata?.codeBlock).map((c) => c.content).join('');
    expect(marked).toContain(MOCK_SNIPPETS.python.trim());
    expect(marked).not.toContain('Here is the code');
    expect(marked).not.toContain('Run it');
    chunks.filter((c) => c.metadata?.codeBlock).forEach((c) => expect(c.metadata!.codeBlock).toEqual({ index: 0, language: 'python' }));
    const announced = chunks.findIndex((c) => c.metadata?.completedCodeBlock);
    expect(chunks[announced]).toMatchObject({ provider: 'mistral', bytes: 0 });
    expect(chunks.slice(announced + 1).map((c) => c.content ?? '').join('')).toMatch(/^\n\nRun it/);
    expect(server.requests[server.requests.length - 1].body).not.toHaveProperty('formatCodeBlocks');
  });

  test('two blocks, tilde fences: numbered in order, each with its language', async () => {
    const { chunks } = await collect(streamChat$('mistral', ask('The code in Bash and in SQL, with tildes'), { baseURL, formatCodeBlocks: true }));
    expect(completedOf(chunks)).toEqual([
      { index: 0, language: 'bash', code: MOCK_SNIPPETS.bash },
      { index: 1, language: 'sql', code: MOCK_SNIPPETS.sql },
    ]);
  });

  test('an answer that stops inside its block: the block comes at the end, unterminated', async () => {
    const { chunks, error } = await collect(streamChat$('mistral', ask('Unfinished code in Rust'), { baseURL, formatCodeBlocks: true }));
    expect(error).toBeUndefined();
    expect(completedOf(chunks)).toEqual([{ index: 0, language: 'rust', code: MOCK_SNIPPETS.rust, unterminated: true }]);
    expect(chunks[chunks.length - 1].metadata?.completedCodeBlock).toBeDefined();
  });

  test('a stream that fails inside a block: the open block is announced before the error', async () => {
    const headers = { 'x-mock-fault': JSON.stringify({ kind: 'error-event', afterChunks: 8 }) };
    const { chunks, error } = await collect(streamChat$('mistral', ask('Show me the code'), { baseURL, headers, formatCodeBlocks: true }));
    expect(isProviderStreamError(error)).toBe(true);
    const last = chunks[chunks.length - 1].metadata?.completedCodeBlock as CompletedCodeBlock;
    expect(last).toMatchObject({ index: 0, language: 'typescript', unterminated: true });
    expect(MOCK_SNIPPETS.typescript.startsWith(last.code)).toBe(true);
    expect(last.code.length).toBeGreaterThan(0);
  });

  test('with the option off the stream is unchanged chunk for chunk; with it on, only marks and announcements are added', async () => {
    const messages = ask('Show me the code in TypeScript and Python');
    const plain = await collect(streamChat$('mistral', messages, { baseURL }));
    const off = await collect(streamChat$('mistral', messages, { baseURL, formatCodeBlocks: false }));
    expect(off).toEqual(plain);
    const on = await collect(streamChat$('mistral', messages, { baseURL, formatCodeBlocks: true }));
    const stripped = on.chunks
      .filter((c) => !c.metadata?.completedCodeBlock)
      .map(({ metadata, ...rest }, i) => {
        const { codeBlock: _, ...others } = metadata ?? {};
        return { ...rest, seq: i, ...(Object.keys(others).length ? { metadata: others } : {}) };
      });
    expect(stripped).toEqual(plain.chunks);
  });
});
