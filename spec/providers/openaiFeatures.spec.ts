import { messageText } from '../../lib/messageText';
import axios from 'axios';
import { from, lastValueFrom, NEVER, Observable, of, take, toArray, type ObservableInput } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { createResponseAccumulator, isConfigError, streamChat$, type ChatMessage, type Chunk, type ToolDefinition } from '../../lib';
import {
  contentModeration,
  highlightFunctionCalls,
  openai,
  type FunctionCallHighlight,
  type ModerationReport,
  type ModerationVerdict,
} from '../../providers/openai';
import { lastSentenceEnd } from '../../providers/openai/lastSentenceEnd';
import { renderFunctionCall } from '../../providers/openai/renderFunctionCall';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';

const base = { provider: 'openai', bytes: 10, id: 'chatcmpl-1', model: 'gpt-4o' } as const;
const text = (seq: number, content: string): Chunk => ({ ...base, seq, content });
const start = (seq: number, index: number, name: string, id = `call_${index}`): Chunk => ({ ...base, seq, toolCalls: [{ index, id, name, argumentsDelta: '' }] });
const args = (seq: number, index: number, argumentsDelta: string): Chunk => ({ ...base, seq, toolCalls: [{ index, argumentsDelta }] });
const finish = (seq: number, finishReason: Chunk['finishReason'] = 'tool_calls'): Chunk => ({ ...base, seq, finishReason, metadata: { rawFinishReason: finishReason } });
const renumbered = (chunk: Chunk, seq: number): Chunk => ({ ...chunk, seq });
const highlight = (seq: number, functionCall: FunctionCallHighlight): Chunk => ({ provider: 'openai', id: 'chatcmpl-1', model: 'gpt-4o', seq, bytes: 0, metadata: { functionCall } });

describe('renderFunctionCall', () => {
  test('an object of arguments reads as key: JSON value; other values as JSON; none as ()', () => {
    expect(renderFunctionCall('get_weather', { city: 'Paris' })).toBe('get_weather(city: "Paris")');
    expect(renderFunctionCall('search', { q: 'rx "js"', limit: 3, filters: { lang: ['en'] } })).toBe('search(q: "rx \\"js\\"", limit: 3, filters: {"lang":["en"]})');
    expect(renderFunctionCall('now', {})).toBe('now()');
    expect(renderFunctionCall('sum', [1, 2])).toBe('sum([1,2])');
    expect(renderFunctionCall('broken', undefined)).toBe('broken(<invalid arguments>)');
  });
});

describe('highlightFunctionCalls (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));

  test('each call is announced once complete: before the next call starts, and before the finish', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: start(0, 0, 'get_weather'), b: args(1, 0, '{"city":"Paris"}'), c: start(2, 1, 'get_time'), d: args(3, 1, '{"tz":"CET"}'), f: finish(4) };
      expectObservable(cold('-a----b----c----d----f----|', values).pipe(highlightFunctionCalls())).toBe('-a----b----(Hc)-d----(Gf)-|', {
        a: values.a,
        b: values.b,
        H: highlight(2, { index: 0, id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' } }),
        c: renumbered(values.c, 3),
        d: renumbered(values.d, 4),
        G: highlight(5, { index: 1, id: 'call_1', name: 'get_time', arguments: { tz: 'CET' } }),
        f: renumbered(values.f, 6),
      });
    });
  });

  test('render: true adds the call written out', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: start(0, 0, 'get_weather'), b: args(1, 0, '{"city":'), c: args(2, 0, '"Paris"}'), f: finish(3) };
      expectObservable(cold('-a-b-c-f----|', values).pipe(highlightFunctionCalls({ render: true }))).toBe('-a-b-c-(Hf)-|', {
        ...values,
        H: highlight(3, { index: 0, id: 'call_0', name: 'get_weather', arguments: { city: 'Paris' }, rendering: 'get_weather(city: "Paris")' }),
        f: renumbered(values.f, 4),
      });
    });
  });

  test('arguments that do not parse are reported, not thrown; no argument text at all is {}', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: start(0, 0, 'get_weather'), b: args(1, 0, '{"city": "Par'), c: start(2, 1, 'now'), f: finish(3, 'length') };
      expectObservable(cold('-a-b-c----f----|', values).pipe(highlightFunctionCalls({ render: true }))).toBe('-a-b-(Hc)-(Gf)-|', {
        a: values.a,
        b: values.b,
        H: highlight(2, {
          index: 0,
          id: 'call_0',
          name: 'get_weather',
          error: expect.stringContaining('the arguments are not valid JSON') as never,
          argumentsText: '{"city": "Par',
          rendering: 'get_weather(<invalid arguments>)',
        }),
        c: renumbered(values.c, 3),
        G: highlight(4, { index: 1, id: 'call_1', name: 'now', arguments: {}, rendering: 'now()' }),
        f: renumbered(values.f, 5),
      });
    });
  });

  test('a chunk that carries arguments and completes the call (coalesced) is followed, not preceded, by the announcement', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const all: Chunk = {
        ...base,
        seq: 0,
        toolCalls: [
          { index: 0, id: 'call_0', name: 'a', argumentsDelta: '{"x":1}' },
          { index: 1, id: 'call_1', name: 'b', argumentsDelta: '{}' },
        ],
        finishReason: 'tool_calls',
      };
      expectObservable(cold('-c------|', { c: all }).pipe(highlightFunctionCalls())).toBe('-(cHG)--|', {
        c: all,
        H: highlight(1, { index: 0, id: 'call_0', name: 'a', arguments: { x: 1 } }),
        G: highlight(2, { index: 1, id: 'call_1', name: 'b', arguments: {} }),
      });
    });
  });

  test('no finish reason: the open call is announced when the stream completes', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const values = { a: start(0, 0, 'f'), b: args(1, 0, '[1,2]') };
      expectObservable(cold('-a-b-|', values).pipe(highlightFunctionCalls())).toBe('-a-b-(H|)', {
        ...values,
        H: highlight(2, { index: 0, id: 'call_0', name: 'f', arguments: [1, 2] }),
      });
    });
  });

  test('without tool calls every chunk passes as it is (the same objects)', () => {
    const chunks = [text(0, 'Hello'), text(1, ' world'), finish(2, 'stop')];
    let out: Chunk[] = [];
    from(chunks).pipe(highlightFunctionCalls(), toArray()).subscribe((all) => (out = all));
    expect(out).toHaveLength(3);
    out.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
  });

  test('an error passes through; an early unsubscribe reaches the source; a synchronous firehose cut by take stops', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      expectObservable(cold('-a-#', { a: start(0, 0, 'f') }).pipe(highlightFunctionCalls())).toBe('-a-#', { a: start(0, 0, 'f') });
      const source = cold('-a-b-c-|', { a: start(0, 0, 'f'), b: args(1, 0, '{}'), c: finish(2) });
      expectObservable(source.pipe(highlightFunctionCalls()), '^--!').toBe('-a-', { a: start(0, 0, 'f') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
    });
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 1000 && !s.closed; i++) (produced++, s.next(start(i, i, 'f')));
    });
    firehose.pipe(highlightFunctionCalls(), take(3)).subscribe();
    expect(produced).toBe(2); // call 0, then call 1 (announcing call 0 before it)
  });

  test('a bad setting fails when the operator is created', () => {
    expect(() => highlightFunctionCalls({ render: 'yes' as never })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'render', expected: 'boolean', got: '"yes"' }] }),
    );
  });
});

describe('lastSentenceEnd', () => {
  test('a sentence ends at the white space after . ! ? …, after closing quotes or emphasis, at a line break, after 。！？', () => {
    expect(lastSentenceEnd('It works. Then', 0)).toBe(9);
    expect(lastSentenceEnd('Really?! Yes', 0)).toBe(8);
    expect(lastSentenceEnd('He said "stop." Then', 0)).toBe(15);
    expect(lastSentenceEnd('**Done.** Next', 0)).toBe(9);
    expect(lastSentenceEnd('A list:\n- item', 0)).toBe(8);
    expect(lastSentenceEnd('好。然后', 0)).toBe(2);
  });

  test('no end yet: punctuation at the very end, a decimal point, no punctuation', () => {
    expect(lastSentenceEnd('It works.', 0)).toBe(-1);
    expect(lastSentenceEnd('Pi is 3.14 and', 0)).toBe(-1);
    expect(lastSentenceEnd('no sentence here', 0)).toBe(-1);
  });

  test('only the text from `from` on is scanned, but the punctuation may stand before it', () => {
    expect(lastSentenceEnd('One. Two', 5)).toBe(-1);
    expect(lastSentenceEnd('One. Two', 4)).toBe(4);
    expect(lastSentenceEnd('One.', 0)).toBe(-1);
    expect(lastSentenceEnd('One. ', 4)).toBe(4);
  });
});

describe('contentModeration (marbles)', () => {
  let scheduler: TestScheduler;
  beforeEach(() => (scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected))));
  const verdictOf = (t: string): ModerationVerdict => (t.includes('BAD') ? { flagged: true, categories: { harassment: true, violence: false } } : { flagged: false, categories: {} });
  const filtered = (seq: number, checkedLength: number): Chunk => ({
    provider: 'openai',
    id: 'chatcmpl-1',
    model: 'gpt-4o',
    seq,
    bytes: 0,
    finishReason: 'content_filter',
    metadata: { moderation: { flagged: true, categories: ['harassment'], checkedLength } satisfies ModerationReport },
  });

  test('one check in flight: sentences that arrive meanwhile wait and are checked together; the chunks are never held', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const checked: Array<[number, string]> = [];
      const check = (t: string) => {
        checked.push([scheduler.now(), t]);
        return cold('---(v|)', { v: verdictOf(t) });
      };
      const values = { a: text(0, 'One. '), b: text(1, 'Two. '), c: text(2, 'Three. '), d: text(3, 'Four.') };
      // the output is the input, on the same frames; completion waits for the check of the last text
      expectObservable(cold('-a-b-c-d-|', values).pipe(contentModeration({ check }))).toBe('-a-b-c-d-----|', values);
      scheduler.flush();
      expect(checked).toEqual([
        [1, 'One.'],
        [4, 'One. Two.'], // 'Two.' waited for the first check
        [7, 'One. Two. Three.'],
        [10, 'One. Two. Three. Four.'], // at the end: the rest, up to its last character
      ]);
    });
  });

  test('flagged mid-stream: the source is left and the stream completes with a content_filter chunk', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const check = (t: string) => cold('--(v|)', { v: verdictOf(t) });
      const source = cold('-a--b--c--d--|', { a: text(0, 'Fine. '), b: text(1, 'BAD stuff. '), c: text(2, 'More. '), d: finish(3, 'stop') });
      expectObservable(source.pipe(contentModeration({ check }))).toBe('-a--b-(F|)', { a: text(0, 'Fine. '), b: text(1, 'BAD stuff. '), F: filtered(2, 16) });
      expectSubscriptions(source.subscriptions).toBe('^-----!');
    });
  });

  test('flagged at the natural end: the last text is checked before completing, content_filter after the finish', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const check = (t: string) => cold('--(v|)', { v: verdictOf(t) });
      const source = cold('-a--f--|', { a: text(0, 'All good but BAD'), f: finish(1, 'stop') });
      expectObservable(source.pipe(contentModeration({ check }))).toBe('-a--f----(F|)', { a: text(0, 'All good but BAD'), f: finish(1, 'stop'), F: filtered(2, 16) });
      expectSubscriptions(source.subscriptions).toBe('^------!');
    });
  });

  test('a failed check is reported in metadata and is not fatal; the next check covers its text again', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const inputs: string[] = [];
      const check = (t: string): ObservableInput<ModerationVerdict> => {
        inputs.push(t);
        return inputs.length === 1 ? cold('--#', {}, Object.assign(new Error('boom'), { status: 503 })) : cold('--(v|)', { v: verdictOf(t) });
      };
      const values = { a: text(0, 'One. '), b: text(1, 'Two. ') };
      const report: Chunk = {
        provider: 'openai',
        id: 'chatcmpl-1',
        model: 'gpt-4o',
        seq: 1,
        bytes: 0,
        metadata: { moderation: { flagged: false, error: { name: 'Error', message: 'boom', status: 503 }, checkedLength: 4 } satisfies ModerationReport },
      };
      // the trailing space after the last checked sentence needs no check of its own
      expectObservable(cold('-a--b--|', values).pipe(contentModeration({ check }))).toBe('-a-Rb--|', { a: values.a, R: report, b: renumbered(values.b, 2) });
      scheduler.flush();
      expect(inputs).toEqual(['One.', 'One. Two.']);
    });
  });

  test('a check that takes longer than timeoutMs counts as failed', () => {
    scheduler.run(({ cold, expectObservable }) => {
      const report: Chunk = {
        provider: 'openai',
        id: 'chatcmpl-1',
        model: 'gpt-4o',
        seq: 1,
        bytes: 0,
        metadata: { moderation: { flagged: false, error: { name: 'TimeoutError', message: 'Timeout has occurred' }, checkedLength: 4 } },
      };
      expectObservable(cold('-a--|', { a: text(0, 'One. ') }).pipe(contentModeration({ check: () => NEVER, timeoutMs: 5, scheduler }))).toBe('-a----(R|)', {
        a: text(0, 'One. '),
        R: report,
      });
    });
  });

  test('a synchronous check keeps the order: the chunk, then the verdict; the rest of the source is never read', () => {
    let produced = 0;
    const chunks = [text(0, 'Fine. '), text(1, 'BAD. '), text(2, 'More. '), finish(3, 'stop')];
    const source = new Observable<Chunk>((s) => {
      for (let i = 0; i < chunks.length && !s.closed; i++) (produced++, s.next(chunks[i]));
      s.complete();
    });
    let out: Chunk[] = [];
    source.pipe(contentModeration({ check: (t) => of(verdictOf(t)) }), toArray()).subscribe((all) => (out = all));
    expect(out).toEqual([chunks[0], chunks[1], filtered(2, 10)]);
    expect(produced).toBe(2);
  });

  test('a Promise check works; a verdict without `flagged` is a reported failure', async () => {
    const chunks = [text(0, 'One. '), text(1, 'Two. '), finish(2, 'stop')];
    const promised = await lastValueFrom(from(chunks).pipe(contentModeration({ check: async (t) => verdictOf(t) }), toArray()));
    expect(promised).toEqual(chunks);
    const odd = await lastValueFrom(from(chunks).pipe(contentModeration({ check: async () => ({ ok: true }) as never }), toArray()));
    expect(odd.filter((c) => c.metadata?.moderation)).toEqual([
      expect.objectContaining({ metadata: { moderation: { flagged: false, error: { name: 'TypeError', message: 'contentModeration: the check returned no { flagged } verdict' }, checkedLength: 4 } } }),
      expect.objectContaining({ metadata: { moderation: expect.objectContaining({ checkedLength: 9 }) } }),
    ]);
  });

  test('without text nothing is checked and every chunk passes as it is', () => {
    const check = jest.fn(() => of({ flagged: true }));
    const chunks = [start(0, 0, 'f'), args(1, 0, '{}'), finish(2)];
    let out: Chunk[] = [];
    from(chunks).pipe(contentModeration({ check }), toArray()).subscribe((all) => (out = all));
    out.forEach((chunk, i) => expect(chunk).toBe(chunks[i]));
    expect(out).toHaveLength(3);
    expect(check).not.toHaveBeenCalled();
  });

  test('an early unsubscribe reaches the source and the check in flight; a synchronous firehose cut by take stops', () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const verdict = cold('-----(v|)', { v: { flagged: false } });
      const source = cold('-a-b-c-|', { a: text(0, 'One. '), b: text(1, 'x'), c: text(2, 'y') });
      expectObservable(source.pipe(contentModeration({ check: () => verdict })), '^--!').toBe('-a-', { a: text(0, 'One. ') });
      expectSubscriptions(source.subscriptions).toBe('^--!');
      expectSubscriptions(verdict.subscriptions).toBe('-^-!');
    });
    let produced = 0;
    const firehose = new Observable<Chunk>((s) => {
      for (let i = 0; i < 1000 && !s.closed; i++) (produced++, s.next(text(i, 'word. ')));
    });
    firehose.pipe(contentModeration({ check: () => NEVER }), take(2)).subscribe();
    expect(produced).toBe(2);
  });

  test('bad settings fail when the operator is created', () => {
    expect(() => contentModeration({} as never)).toThrow(/Invalid contentModeration config: check: expected a function \(text\) => Promise/);
    expect(() => contentModeration({ check: () => NEVER, timeoutMs: 0 })).toThrow(
      expect.objectContaining({ name: 'ConfigError', issues: [{ path: 'timeoutMs', expected: 'a positive number', got: '0' }] }),
    );
  });
});

const getWeather = {
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
} satisfies ToolDefinition;

describe('openai features on the mock server', () => {
  let server: MockServer;
  let baseURL: string;
  const apiKey = 'sk-mock-openai-key-0001';
  const options = (headers: Record<string, string> = {}) => ({ baseURL, apiKey, headers });
  const question: Array<{ role: 'user'; content: string }> = [{ role: 'user', content: 'Why does streaming matter for chat interfaces?' }];
  /** A conversation whose answer repeats a tool result: the mock model says "The tool answered: <result>". */
  const echoing = (result: string): ChatMessage[] => [
    { role: 'user', content: 'What is the weather in Paris?' },
    { role: 'assistant', content: null, toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { role: 'tool', toolCallId: 'call_1', content: result },
  ];
  const moderationRequests = (since: number) => server.requests.slice(since).filter((r) => r.path === '/v1/moderations');
  beforeAll(async () => {
    server = await startMockServer();
    baseURL = `${server.url}/v1`;
  });
  afterAll(() => server.close());
  afterEach(() => server.clearFaults());

  test('highlightFunctionCalls: the completed call, its arguments parsed and rendered, before the finish', async () => {
    const messages: Array<{ role: 'user'; content: string }> = [{ role: 'user', content: 'what is the weather in Paris? use get_weather.' }];
    const expected = answerFor(messages, { tools: [getWeather] }).toolCalls[0];
    const chunks = await lastValueFrom(streamChat$(openai, messages, { ...options(), tools: [getWeather], highlightFunctionCalls: { render: true } }).pipe(toArray()));
    const at = chunks.findIndex((c) => c.metadata?.functionCall);
    expect(chunks.filter((c) => c.metadata?.functionCall)).toHaveLength(1);
    expect(chunks[at]).toMatchObject({ bytes: 0, provider: 'openai' });
    expect(chunks[at].metadata!.functionCall).toEqual({
      index: 0,
      id: expected.id,
      name: 'get_weather',
      arguments: JSON.parse(expected.arguments),
      rendering: 'get_weather(city: "Paris")',
    });
    expect(JSON.parse(expected.arguments)).toEqual({ city: 'Paris' });
    expect(chunks[at + 1].finishReason).toBe('tool_calls');
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });

  test('with the options off the stream is unchanged chunk for chunk; with highlights on, removing them gives it back', async () => {
    const messages: Array<{ role: 'user'; content: string }> = [{ role: 'user', content: 'what is the weather in Paris? use get_weather.' }];
    const plain = await lastValueFrom(streamChat$(openai, messages, { ...options(), tools: [getWeather] }).pipe(toArray()));
    const off = await lastValueFrom(streamChat$(openai, messages, { ...options(), tools: [getWeather], highlightFunctionCalls: false, contentModeration: false }).pipe(toArray()));
    expect(off).toEqual(plain);
    const context = { options: { model: 'm', baseURL, highlightFunctionCalls: false, contentModeration: false }, request: { url: '', method: 'POST' as const, headers: {} }, secrets: [] };
    expect(openai.features!(context)).toEqual([]);
    const on = await lastValueFrom(streamChat$(openai, messages, { ...options(), tools: [getWeather], highlightFunctionCalls: true }).pipe(toArray()));
    expect(on.filter((c) => !c.metadata?.functionCall).map((c, seq) => ({ ...c, seq }))).toEqual(plain);
  });

  test('contentModeration: a clean answer streams unchanged; the endpoint is asked with the auth header, at sentence boundaries, the whole text last', async () => {
    const since = server.requests.length;
    const expected = answerFor(question).text;
    const plain = await lastValueFrom(streamChat$(openai, question, options()).pipe(toArray()));
    const moderated = await lastValueFrom(streamChat$(openai, question, { ...options({ 'x-team': 'docs' }), contentModeration: true }).pipe(toArray()));
    expect(moderated).toEqual(plain);
    const checks = moderationRequests(since);
    expect(checks.length).toBeGreaterThanOrEqual(1);
    for (const check of checks) {
      expect(check.headers.authorization).toBe(`Bearer ${apiKey}`);
      expect(check.headers['x-team']).toBeUndefined(); // only authentication headers go along
      const body = check.body as { model: string; input: string };
      expect(body.model).toBe('omni-moderation-latest');
      expect(expected.startsWith(body.input)).toBe(true);
      expect(/[.!?]$/.test(body.input)).toBe(true); // a whole number of sentences
    }
    expect((checks[checks.length - 1].body as { input: string }).input).toBe(expected);
  });

  test('contentModeration: flagged text ends the stream early with content_filter and the categories; the request is cancelled', async () => {
    const filler = Array.from({ length: 40 }, (_, i) => `Sentence number ${i + 1} is calm.`).join(' ');
    const messages = echoing(`It is sunny. FLAG_ME:violence appears here. ${filler}`);
    const full = answerFor(messages.map((m) => ({ role: m.role, content: messageText(m) }))).text;
    const since = server.requests.length;
    const chunks = await lastValueFrom(streamChat$(openai, messages, { ...options({ 'x-mock-chunk-delay-ms': '5' }), contentModeration: true }).pipe(toArray()));
    const last = chunks[chunks.length - 1];
    expect(last.finishReason).toBe('content_filter');
    expect(last.bytes).toBe(0);
    const moderation = last.metadata!.moderation as ModerationReport & { flagged: true };
    expect(moderation).toMatchObject({ flagged: true, categories: ['violence'] });
    expect(moderation.scores!.violence).toBeGreaterThan(0.9);
    const received = chunks.map((c) => c.content ?? '').join('');
    expect(received).toContain('FLAG_ME');
    expect(full.startsWith(received)).toBe(true);
    expect(received.length).toBeLessThan(full.length / 2);
    expect(full.slice(0, moderation.checkedLength)).toContain('FLAG_ME');
    const chat = server.requests.slice(since).find((r) => r.path === '/v1/chat/completions')!;
    expect((await chat.closed).completed).toBe(false);
  });

  test('contentModeration: a failing moderation call is reported in metadata, without the key, and the answer goes on', async () => {
    server.queueFaults(null, { kind: 'status', status: 500 }); // the chat request, then the first moderation call
    const { chunks, error } = await collect(streamChat$(openai, question, { ...options(), contentModeration: true }));
    expect(error).toBeUndefined();
    const reports = chunks.filter((c) => c.metadata?.moderation);
    expect(reports).toHaveLength(1);
    expect(reports[0].metadata!.moderation).toMatchObject({ flagged: false, error: { name: 'HttpError', status: 500 } });
    expect(JSON.stringify(reports)).not.toContain(apiKey);
    const response = createResponseAccumulator();
    chunks.forEach((c) => response.add(c));
    expect(response.snapshot().content).toBe(answerFor(question).text);
    expect(response.snapshot().finishReason).toBe('stop');
  });

  test('contentModeration: a user check replaces the endpoint; model picks the moderation model', async () => {
    const since = server.requests.length;
    const seen: string[] = [];
    const check = async (t: string) => {
      seen.push(t);
      return { flagged: seen.length === 2, categories: ['custom'] };
    };
    const chunks = await lastValueFrom(streamChat$(openai, question, { ...options(), contentModeration: { check } }).pipe(toArray()));
    expect(moderationRequests(since)).toHaveLength(0);
    expect(seen).toHaveLength(2);
    expect(chunks[chunks.length - 1]).toMatchObject({ finishReason: 'content_filter', metadata: { moderation: { flagged: true, categories: ['custom'], checkedLength: seen[1].length } } });

    const before = server.requests.length;
    await lastValueFrom(streamChat$(openai, question, { ...options(), contentModeration: { model: 'text-moderation-stable' } }).pipe(toArray()));
    const bodies = moderationRequests(before).map((r) => r.body as { model: string });
    expect(bodies.length).toBeGreaterThan(0);
    bodies.forEach((body) => expect(body.model).toBe('text-moderation-stable'));
  });

  test('bad settings are a ConfigError naming the option, before any request', async () => {
    const before = server.requests.length;
    for (const bad of [{ contentModeration: { check: 'no' } }, { contentModeration: { timeoutMs: -1 } }, { highlightFunctionCalls: { render: 'yes' } }, { highlightFunctionCalls: 1 }]) {
      const { error } = await collect(streamChat$(openai, question, { ...options(), ...bad } as never));
      expect(isConfigError(error)).toBe(true);
      expect((error as Error).message).toContain(Object.keys(bad)[0]);
    }
    expect(server.requests.length).toBe(before);
  });
});

describe('the mock moderation endpoint', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());
  const moderate = (body: unknown) => axios.post(`${server.url}/v1/moderations`, body, { validateStatus: () => true });

  test("answers in OpenAI's shape, flags FLAG_ME (harassment) or FLAG_ME:<category>, deterministically", async () => {
    const clean = await moderate({ model: 'omni-moderation-latest', input: 'A calm sentence.' });
    expect(clean.status).toBe(200);
    expect(clean.data).toMatchObject({ id: expect.stringMatching(/^modr-/), model: 'omni-moderation-2024-09-26' });
    const [result] = clean.data.results;
    expect(result.flagged).toBe(false);
    expect(Object.keys(result.categories)).toHaveLength(13);
    expect(Object.values(result.categories).every((v) => v === false)).toBe(true);
    expect(Object.values(result.category_scores).every((v) => typeof v === 'number' && (v as number) < 0.01)).toBe(true);
    expect(result.category_applied_input_types.harassment).toEqual(['text']);
    expect((await moderate({ model: 'omni-moderation-latest', input: 'A calm sentence.' })).data).toEqual(clean.data);

    const flagged = await moderate({ input: ['Say FLAG_ME now.', 'FLAG_ME:self-harm/intent here'] });
    expect(flagged.data.results.map((r: { flagged: boolean }) => r.flagged)).toEqual([true, true]);
    expect(flagged.data.results[0].categories.harassment).toBe(true);
    expect(flagged.data.results[1].categories['self-harm/intent']).toBe(true);
    expect(flagged.data.results[1].categories.harassment).toBe(false);
  });

  test("a missing input gets the API's 400 body", async () => {
    const answer = await moderate({ model: 'omni-moderation-latest' });
    expect(answer.status).toBe(400);
    expect(answer.data.error).toMatchObject({ type: 'invalid_request_error', param: 'input' });
  });
});
