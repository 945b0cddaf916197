import { from, map, take, throwError, concat } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { accumulate, toResponse, type Chunk } from '../../lib';

const chunk = (seq: number, fields: Partial<Chunk>): Chunk => ({ provider: 'openai', seq, bytes: 10, ...fields });

describe('accumulate and toResponse', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('accumulate emits the answer so far after every chunk', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c|', { a: chunk(0, { content: 'He', id: 'x' }), b: chunk(1, { content: 'll' }), c: chunk(2, { content: 'o', finishReason: 'stop' }) });
      const texts = source.pipe(accumulate(), map((r) => `${r.content}:${r.finishReason ?? '-'}`));
      expectObservable(texts).toBe('-a-b-c|', { a: 'He:-', b: 'Hell:-', c: 'Hello:stop' });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  test('toResponse emits once at completion; an error passes through', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const ok = cold('-a-b|', { a: chunk(0, { content: 'A' }), b: chunk(1, { content: 'B' }) });
      expectObservable(ok.pipe(toResponse(), map((r) => r.content))).toBe('----(r|)', { r: 'AB' });
      const failing = cold('-a-#', { a: chunk(0, { content: 'A' }) }, new Error('cut'));
      expectObservable(failing.pipe(toResponse())).toBe('---#', undefined, new Error('cut'));
    });
  });

  test('an early unsubscribe stops the source', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('-a-b-c-d|', { a: chunk(0, { content: 'a' }), b: chunk(1, { content: 'b' }), c: chunk(2, {}), d: chunk(3, {}) });
      expectObservable(source.pipe(accumulate(), map((r) => r.content)), '^--!').toBe('-a-', { a: 'a' });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
  });

  test('a synchronous firehose cut by take', () => {
    const values: string[] = [];
    from(Array.from({ length: 10_000 }, (_, i) => chunk(i, { content: 'x' })))
      .pipe(accumulate(), take(3))
      .subscribe((r) => values.push(r.content));
    expect(values).toEqual(['x', 'xx', 'xxx']);
  });

  test('tool-call fragments assemble by index, with id and name from the first fragment', async () => {
    const chunks = [
      chunk(0, { toolCalls: [{ index: 0, id: 'call_a', name: 'get_weather', argumentsDelta: '' }] }),
      chunk(1, { toolCalls: [{ index: 1, id: 'call_b', name: 'get_time' }] }),
      chunk(2, { toolCalls: [{ index: 0, argumentsDelta: '{"city":' }, { index: 1, argumentsDelta: '{}' }] }),
      chunk(3, { toolCalls: [{ index: 0, argumentsDelta: '"Paris"}' }], finishReason: 'tool_calls' }),
      chunk(4, { toolCalls: [{ index: 2, id: 'call_c', name: 'no_args' }] }),
    ];
    let answer: unknown;
    from(chunks).pipe(toResponse()).subscribe((r) => (answer = r));
    expect(answer).toMatchObject({
      finishReason: 'tool_calls',
      toolCalls: [
        { index: 0, id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' },
        { index: 1, id: 'call_b', name: 'get_time', arguments: {}, argumentsText: '{}' },
        { index: 2, id: 'call_c', name: 'no_args', arguments: {}, argumentsText: '' },
      ],
    });
  });

  test('arguments that are not complete JSON stay undefined, with their text kept', () => {
    let answer: { toolCalls: Array<{ arguments: unknown; argumentsText: string }> } | undefined;
    from([chunk(0, { toolCalls: [{ index: 0, name: 'f', argumentsDelta: '{"a": 1' }] })]).pipe(toResponse()).subscribe((r) => (answer = r));
    expect(answer!.toolCalls[0]).toMatchObject({ arguments: undefined, argumentsText: '{"a": 1' });
  });

  test('usage fields merge (cumulative reports, never summed); citations are kept once; the id comes from the first chunk that has one', () => {
    let answer: any;
    from([
      chunk(0, { id: 'm1', usage: { inputTokens: 10 }, citations: [{ url: 'https://a' }] }),
      chunk(1, { model: 'claude', usage: { outputTokens: 3 }, citations: [{ url: 'https://a' }, { url: 'https://b' }] }),
      chunk(2, { id: 'other', usage: { outputTokens: 7 }, metadata: { rawFinishReason: 'end_turn' } }),
    ])
      .pipe(toResponse())
      .subscribe((r) => (answer = r));
    expect(answer.usage).toEqual({ inputTokens: 10, outputTokens: 7 });
    expect(answer.citations).toEqual([{ url: 'https://a' }, { url: 'https://b' }]);
    expect(answer).toMatchObject({ id: 'm1', model: 'claude', metadata: { rawFinishReason: 'end_turn' } });
  });

  test('the model is the last one a chunk names: the model that answered (Anthropic hands a refused answer over to a fallback model)', () => {
    let answer: any;
    from([chunk(0, { id: 'm1', model: 'claude-fable-5' }), chunk(1, { model: 'claude-opus-4-8', content: 'Hi' }), chunk(2, { content: '!' })])
      .pipe(toResponse())
      .subscribe((r) => (answer = r));
    expect(answer).toMatchObject({ id: 'm1', model: 'claude-opus-4-8', content: 'Hi!' });
  });

  test('citations of documents (no URL) are kept once per document and cited range, in the order they came; a URL once whatever its span', () => {
    const page = (start: number) => ({ documentIndex: 0, location: { kind: 'page' as const, start, end: start + 1 }, title: 'Manual' });
    let answer: any;
    from([
      chunk(0, { content: 'A', citations: [page(3), { url: 'https://a', span: { start: 0, end: 1 } }] }),
      chunk(1, { content: 'B', citations: [page(3), page(4), { documentIndex: 1, location: { kind: 'char', start: 0, end: 20 }, snippet: 'cited' }] }),
      chunk(2, { content: 'C', citations: [{ url: 'https://a', span: { start: 2, end: 3 } }, { documentIndex: 1, location: { kind: 'char', start: 0, end: 20 } }] }),
    ])
      .pipe(toResponse())
      .subscribe((r) => (answer = r));
    expect(answer.citations).toEqual([
      page(3),
      { url: 'https://a', span: { start: 0, end: 1 } },
      page(4),
      { documentIndex: 1, location: { kind: 'char', start: 0, end: 20 }, snippet: 'cited' },
    ]);
  });

  test('an empty stream gives an empty response', () => {
    let answer: any;
    concat(from([] as Chunk[])).pipe(toResponse()).subscribe((r) => (answer = r));
    expect(answer).toMatchObject({ content: '', reasoning: '', toolCalls: [], citations: [], finishReason: undefined });
    void throwError;
  });
});
