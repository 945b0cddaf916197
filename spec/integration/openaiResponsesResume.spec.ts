import { firstValueFrom, take, toArray } from 'rxjs';
import { isConfigError, streamChat$, type Chunk } from '../../lib';
import { continueResponsesFrom } from '../../providers/openai-responses/continueResponsesFrom';
import { buildResponsesRequest } from '../../providers/openai-responses/buildResponsesRequest';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';
import { WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';

const ANSWER = Object.values(WHITESPACE_ANSWERS)[0];
const ID = 'resp_bg_1';

/**
 * A Responses stream of `answer` in `pieces` text deltas, as api.openai.com frames it: each event
 * with its type as the event name and a rising `sequence_number`.
 */
function responseEvents(answer: string, pieces: number, background: boolean): Array<{ sequence: number; frame: string; delta?: string }> {
  const response = (status: string, extra: object = {}) => ({ id: ID, object: 'response', model: 'gpt-5-mini-2025-08-07', status, background, store: true, output: [], ...extra });
  const payloads: Array<Record<string, unknown>> = [
    { type: 'response.created', response: response('queued') },
    { type: 'response.in_progress', response: response('in_progress') },
    { type: 'response.output_item.added', output_index: 0, item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] } },
    { type: 'response.content_part.added', item_id: 'msg_1', output_index: 0, content_index: 0, part: { type: 'output_text', text: '', annotations: [] } },
  ];
  const size = Math.ceil(answer.length / pieces);
  for (let at = 0; at < answer.length; at += size) {
    payloads.push({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: answer.slice(at, at + size) });
  }
  payloads.push(
    { type: 'response.output_text.done', item_id: 'msg_1', output_index: 0, content_index: 0, text: answer },
    { type: 'response.output_item.done', output_index: 0, item: { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: answer, annotations: [] }] } },
    { type: 'response.completed', response: response('completed', { usage: { input_tokens: 20, output_tokens: 80, total_tokens: 100 } }) },
  );
  return payloads.map((payload, sequence) => ({
    sequence,
    frame: `event: ${String(payload.type)}\ndata: ${JSON.stringify({ ...payload, sequence_number: sequence })}\n\n`,
    delta: payload.type === 'response.output_text.delta' ? (payload.delta as string) : undefined,
  }));
}

const bodyOf = (events: ReturnType<typeof responseEvents>) => Buffer.from(events.map((e) => e.frame).join(''));
/** the last event up to `last` that a chunk was made of: the checkpoint a break after event `last` resumes from */
const lastDelivered = (events: ReturnType<typeof responseEvents>, last: number) => events.slice(0, last + 1).filter((e) => e.delta !== undefined).pop()?.sequence;

describe('openai-responses: a background response resumes exactly where its stream broke', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const chat = (extra: object = {}) =>
    collect(
      streamChat$(openaiResponses, [{ role: 'user', content: 'Write the example.' }], {
        baseURL: `${server.url}/v1`,
        apiKey: 'sk-test-background',
        streamRecovery: true,
        recovery: { delay: 0, maxRetries: 3 },
        ...extra,
      }),
    );
  const text = (chunks: Chunk[]) => chunks.map((c) => c.content ?? '').join('');

  test('a break after any event: one GET from the last event delivered, the answer whole and once, seq contiguous, no continuation prompt', async () => {
    const events = responseEvents(ANSWER, 24, true);
    // a break after event k, for every k from the first delta to the one before response.completed
    for (let k = 4; k < events.length - 1; k++) {
      const from = lastDelivered(events, k);
      const before = server.received.length;
      server.respondWith({ body: bodyOf(events.slice(0, k + 1)) });
      // what the API sends after the checkpoint (before any text: the same request again)
      server.respondWith({ body: bodyOf(from === undefined ? events : events.slice(from + 1)) });
      const { chunks, error } = await chat({ background: true });
      const requests = server.received.slice(before);
      try {
        expect(error).toBeUndefined();
        expect(text(chunks)).toBe(ANSWER);
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
        expect(requests).toHaveLength(2);
        expect(JSON.parse(requests[0].body)).toMatchObject({ background: true, store: true, stream: true });
        expect(requests[1].path).toBe(`/v1/responses/${ID}?stream=true&starting_after=${from}`);
        expect(requests[1].body).toBe('');
        expect(requests[1].headers.authorization).toBe('Bearer sk-test-background');
        expect(chunks[chunks.length - 1].finishReason).toBe('stop');
      } catch (failure) {
        throw new Error(`break after event ${k} (${events[k].frame.split('\n')[0]}): ${(failure as Error).message}`);
      }
    }
  });

  test('a second break resumes from the resumed stream, which knows its response from its request', async () => {
    const events = responseEvents(ANSWER, 24, true);
    const [k1, k2] = [8, 17];
    const [from1, from2] = [lastDelivered(events, k1)!, lastDelivered(events, k2)!];
    const before = server.received.length;
    server.respondWith({ body: bodyOf(events.slice(0, k1 + 1)) });
    server.respondWith({ body: bodyOf(events.slice(from1 + 1, k2 + 1)) });
    server.respondWith({ body: bodyOf(events.slice(from2 + 1)) });
    const { chunks, error } = await chat({ background: true });
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe(ANSWER);
    expect(server.received.slice(before).map((r) => r.path)).toEqual([
      '/v1/responses',
      `/v1/responses/${ID}?stream=true&starting_after=${from1}`,
      `/v1/responses/${ID}?stream=true&starting_after=${from2}`,
    ]);
    expect(chunks.every((c) => c.id === ID)).toBe(true);
  });

  test('without background, a break is continued as for Chat Completions: a new request carrying the partial answer', async () => {
    const events = responseEvents(ANSWER, 24, false);
    const k = 12;
    const delivered = events.slice(0, k + 1).map((e) => e.delta ?? '').join('');
    const before = server.received.length;
    server.respondWith({ body: bodyOf(events.slice(0, k + 1)) });
    server.respondWith({ body: bodyOf(responseEvents(ANSWER.slice(delivered.length), 10, false)) });
    const { chunks, error } = await chat();
    expect(error).toBeUndefined();
    expect(text(chunks)).toBe(ANSWER);
    const [, second] = server.received.slice(before);
    expect(second.path).toBe('/v1/responses');
    const input = JSON.parse(second.body).input as Array<{ role?: string; content?: string }>;
    expect(input.some((item) => item.role === 'assistant' && item.content === delivered)).toBe(true);
    expect(input[input.length - 1].role).toBe('user');
  });

  test('continueResponsesFrom: the GET of the response after a checkpoint, from the first request or an earlier resume', () => {
    const post = buildResponsesRequest([{ role: 'user', content: 'Hi' }], { model: 'gpt-5-mini', baseURL: 'https://api.openai.com/v1', apiKey: 'sk-x', background: true });
    expect(post.body).toMatchObject({ background: true, store: true });
    const withType = { ...post, headers: { ...post.headers, 'content-type': 'application/json' } };
    const resume = continueResponsesFrom(withType, 'resp_a@41');
    expect(resume).toEqual({ url: 'https://api.openai.com/v1/responses/resp_a?stream=true&starting_after=41', method: 'GET', headers: { accept: 'text/event-stream', authorization: 'Bearer sk-x' } });
    expect(continueResponsesFrom(resume, 'resp_a@90').url).toBe('https://api.openai.com/v1/responses/resp_a?stream=true&starting_after=90');
    expect(() => continueResponsesFrom(post, 'not-a-checkpoint')).toThrow(TypeError);
  });

  test('background must be a boolean: ConfigError, no request', async () => {
    const before = server.received.length;
    const { error } = await chat({ background: 'yes' });
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('background');
    expect(server.received.length).toBe(before);
  });
});

describe('openai-responses: a background response is cancelled when its subscriber leaves early', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  const chat$ = (background: boolean) =>
    streamChat$(openaiResponses, [{ role: 'user', content: 'Write the example.' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-test-cancel', background });
  const cancels = (since: number) => server.received.slice(since).filter((r) => r.path.endsWith('/cancel'));
  /** the requests after `since`, once `count` of them arrived (or after 1 s) */
  const settle = async (since: number, count: number) => {
    for (let waited = 0; server.received.length - since < count && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    // room for a request that should not come
    await new Promise((r) => setTimeout(r, 50));
    return server.received.slice(since);
  };
  const cancelled = { body: Buffer.from(JSON.stringify({ id: ID, object: 'response', status: 'cancelled' })), contentType: 'application/json' };

  test('unsubscribing mid-stream sends exactly one POST …/responses/{id}/cancel, with the key', async () => {
    const before = server.received.length;
    server.respondWith({ body: bodyOf(responseEvents(ANSWER, 24, true)), cuts: [900, 1800, 2700] });
    server.respondWith(cancelled);
    const first = await firstValueFrom(chat$(true).pipe(take(3), toArray()));
    expect(first).toHaveLength(3);
    const requests = await settle(before, 2);
    expect(requests.map((r) => r.path)).toEqual(['/v1/responses', `/v1/responses/${ID}/cancel`]);
    expect(cancels(before)[0].headers.authorization).toBe('Bearer sk-test-cancel');
    expect(cancels(before)[0].body).toBe('');
  });

  test('a stream that completes sends no cancel; neither does leaving a foreground response, nor leaving before the first chunk', async () => {
    const before = server.received.length;
    server.respondWith({ body: bodyOf(responseEvents(ANSWER, 24, true)) });
    expect((await firstValueFrom(chat$(true).pipe(toArray()))).map((c) => c.content ?? '').join('')).toBe(ANSWER);
    server.respondWith({ body: bodyOf(responseEvents(ANSWER, 24, false)) });
    await firstValueFrom(chat$(false).pipe(take(3), toArray()));
    // the subscriber leaves before the response's first chunk: nothing names the response yet
    server.respondWith({ body: bodyOf(responseEvents(ANSWER, 24, true)), cuts: [10] });
    chat$(true).subscribe().unsubscribe();
    const requests = await settle(before, 2);
    expect(cancels(before)).toEqual([]);
    expect(requests.filter((r) => r.path === '/v1/responses').length).toBeGreaterThanOrEqual(2);
  });
});
