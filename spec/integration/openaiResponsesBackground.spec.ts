import OpenAI from 'openai';
import { firstValueFrom, take, toArray } from 'rxjs';
import { streamChat$, type ChatMessage, type Chunk } from '../../lib';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { mockBaseURL, seededRandom, startMockServer, type MockFault, type MockRequest, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { inLanes, mockServerLanes } from '../support/lanes';
import { answerHeader, framesOf, type Frame } from '../support/mockWire';
import { WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';

/** runs of the random-reset property, with background and without: 200 each (RXLLM_HEAVY: 400) */
const RUNS = Number(process.env.RXLLM_HEAVY ? 400 : 200);
const messages: ChatMessage[] = [{ role: 'user', content: 'Tell me why streams break and how a background response resumes them.' }];
/** the answers the runs take in turn: the mock model's own, and answers whose white space matters */
const ANSWERS: Array<{ name: string; headers: Record<string, string> }> = [
  { name: 'six sentences', headers: { 'x-mock-sentences': '6' } },
  ...Object.entries(WHITESPACE_ANSWERS).map(([name, text]) => ({ name, headers: answerHeader(text) })),
];

/** One clean stream as the client receives it: its frames, where each ends (in bytes), and the answer. */
interface CleanStream {
  frames: Frame[];
  /** the byte offset at which each frame ends (its `\n\n` included) */
  ends: number[];
  bytes: number;
  /** where the first content frame ends: a break from there on comes after the first chunk */
  firstContentEnd: number;
  text: string;
}

const isContent = (frame: Frame) => frame.event === 'response.output_text.delta';

function cleanStream(body: string): CleanStream {
  const frames = framesOf(body, 'sse');
  let end = 0;
  const ends = frames.map((frame) => (end += Buffer.byteLength(frame.raw)));
  const first = frames.findIndex(isContent);
  return { frames, ends, bytes: end, firstContentEnd: ends[first], text: frames.filter(isContent).map((f) => f.json.delta).join('') };
}

/**
 * The checkpoint a client holds after a break `at` bytes into a stream of `clean`'s frames from
 * frame `from` on: the `sequence_number` of the last content frame it received whole, or `held` (the
 * one it had before this stream) when none.
 */
function checkpointAfter(clean: CleanStream, from: number, at: number, held?: number): number | undefined {
  const offset = from === 0 ? 0 : clean.ends[from - 1];
  let checkpoint = held;
  clean.frames.forEach((frame, i) => {
    if (i >= from && clean.ends[i] - offset <= at && isContent(frame)) checkpoint = frame.json.sequence_number;
  });
  return checkpoint;
}

/** The bytes of a stream of `clean`'s frames from frame `from` on. */
const bytesFrom = (clean: CleanStream, from: number) => clean.bytes - (from === 0 ? 0 : clean.ends[from - 1]);

describe('openai-responses on the mock server: background responses resume exactly, and are cancelled', () => {
  let server: MockServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startMockServer();
    client = new OpenAI({ baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock' });
  });
  afterAll(() => server.close());
  // the random-reset runs go side by side, each lane on its own server (its own fault queue, its own responses)
  const lanes = mockServerLanes();

  const chat$ = (on: MockServer, options: object = {}) =>
    streamChat$(openaiResponses, messages, { baseURL: mockBaseURL(on, 'openai-responses'), apiKey: 'sk-mock', ...options });
  const text = (chunks: Chunk[]) => chunks.map((c) => c.content ?? '').join('');
  /** A raw request to the mock server, for what a client would hide: the bytes, the status, the error body. */
  const send = (path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk-mock', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const post = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    send('/v1/responses', { method: 'POST', body: { model: 'gpt-5-mini', input: messages, stream: true, ...body }, headers });
  /** the request body rxllm sends for `options`, and the stream the mock answers it with, read raw */
  const rawStream = async (options: object, headers: Record<string, string>) => {
    const before = server.requests.length;
    await collect(chat$(server, { ...options, headers }));
    const body = server.requests[before].body as Record<string, unknown>;
    return cleanStream(await (await send('/v1/responses', { method: 'POST', body, headers })).text());
  };
  const invalid = (message: string, param: string | null, code: string | null = null) => ({ error: { message, type: 'invalid_request_error', param, code } });
  const notFound = (id: string) => invalid(`Response with id '${id}' not found.`, null);
  const isCancel = (request: MockRequest) => request.method === 'POST' && request.path.endsWith('/cancel');

  describe('the wire', () => {
    test('a background stream: background: true in its objects, queued when created, an id of its own per request', async () => {
      const frames = framesOf(await (await post({ background: true, store: true })).text(), 'sse');
      const again = framesOf(await (await post({ background: true, store: true })).text(), 'sse');
      expect(frames[0].json.response).toMatchObject({ status: 'queued', background: true, store: true });
      expect(frames[1].json.response).toMatchObject({ status: 'in_progress', background: true });
      expect(frames[frames.length - 1].json.response).toMatchObject({ status: 'completed', background: true });
      expect(again[0].json.response.id).not.toBe(frames[0].json.response.id);
      // the same conversation, the same answer, as many bytes (ids have a fixed width)
      expect(again.map((f) => f.raw.length)).toEqual(frames.map((f) => f.raw.length));
      const foreground = framesOf(await (await post({})).text(), 'sse');
      expect(foreground[0].json.response).toMatchObject({ status: 'in_progress', background: false });
    });

    test('GET …?stream=true&starting_after=N: the frames after event N, byte for byte as first streamed', async () => {
      const first = await (await post({ background: true })).text();
      const frames = framesOf(first, 'sse');
      const id = frames[0].json.response.id as string;
      for (const n of [0, 5, Math.floor(frames.length / 2), frames.length - 2]) {
        const resumed = await (await send(`/v1/responses/${id}?stream=true&starting_after=${n}`)).text();
        expect(resumed).toBe(frames.slice(n + 1).map((f) => f.raw).join(''));
      }
      // without starting_after: the whole stream
      expect(await (await send(`/v1/responses/${id}?stream=true`)).text()).toBe(first);
    });

    test('the openai package reads the resumed stream: responses.retrieve(id, { stream: true, starting_after })', async () => {
      const created = await client.responses.create({ model: 'gpt-5-mini', input: 'Resume me.', stream: true, background: true });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of created) events.push(event);
      const id = events[0].type === 'response.created' ? events[0].response.id : '';
      const n = events.findIndex((e) => e.type === 'response.output_text.delta') + 2;
      const resumed: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of await client.responses.retrieve(id, { stream: true, starting_after: n })) resumed.push(event);
      expect(resumed.map((e) => e.sequence_number)).toEqual(events.slice(n + 1).map((e) => e.sequence_number));
      expect(resumed).toEqual(events.slice(n + 1));
      expect(resumed[resumed.length - 1].type).toBe('response.completed');
      // without stream: the response object, completed
      expect(await client.responses.retrieve(id)).toMatchObject({ id, status: 'completed', background: true });
    });

    test('a starting_after past the last event: an empty stream that ends at once', async () => {
      const frames = framesOf(await (await post({ background: true })).text(), 'sse');
      const id = frames[0].json.response.id as string;
      for (const after of [frames.length - 1, frames.length + 10]) {
        const response = await send(`/v1/responses/${id}?stream=true&starting_after=${after}`);
        expect(response.status).toBe(200);
        expect(await response.text()).toBe('');
      }
    });

    test('a resumed stream breaks too: a queued reset cuts it after exactly N bytes', async () => {
      const frames = framesOf(await (await post({ background: true })).text(), 'sse');
      const id = frames[0].json.response.id as string;
      const clean = frames.slice(4).map((f) => f.raw).join('');
      server.queueFaults({ kind: 'reset', afterBytes: 700 });
      const response = await send(`/v1/responses/${id}?stream=true&starting_after=3`);
      const parts: Uint8Array[] = [];
      const reader = response.body!.getReader();
      await expect(
        (async () => {
          for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
        })(),
      ).rejects.toThrow();
      server.clearFaults();
      expect(Buffer.concat(parts).equals(Buffer.from(clean).subarray(0, 700))).toBe(true);
    });

    test('without stream, a background request answers its queued object; GET answers it as it stands', async () => {
      const response = await post({ background: true, stream: false });
      const object = (await response.json()) as { id: string; status: string; output: unknown[]; background: boolean };
      expect(object).toMatchObject({ status: 'queued', background: true, output: [] });
      expect(await (await send(`/v1/responses/${object.id}`)).json()).toMatchObject({ id: object.id, status: 'completed' });
    });
  });

  describe('refuses what api.openai.com refuses', () => {
    test('background with store: false: 400', async () => {
      const response = await post({ background: true, store: false });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(invalid("Background mode requires 'store' to be true.", 'store'));
    });

    test('an unknown id, and a foreground response: 404 to the GET, with or without stream', async () => {
      const foreground = framesOf(await (await post({})).text(), 'sse')[0].json.response.id as string;
      for (const id of ['resp_unknown', foreground]) {
        for (const query of ['?stream=true&starting_after=3', '']) {
          const response = await send(`/v1/responses/${id}${query}`);
          expect(response.status).toBe(404);
          expect(await response.json()).toEqual(notFound(id));
        }
      }
    });

    test('a starting_after that is not a whole number: 400', async () => {
      const id = framesOf(await (await post({ background: true })).text(), 'sse')[0].json.response.id as string;
      const response = await send(`/v1/responses/${id}?stream=true&starting_after=x`);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'starting_after' } });
    });

    test('cancel: an unknown id 404, a foreground response 400; a background one twice is cancelled twice', async () => {
      const unknown = await send('/v1/responses/resp_unknown/cancel', { method: 'POST' });
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toEqual(notFound('resp_unknown'));
      const foreground = framesOf(await (await post({})).text(), 'sse')[0].json.response.id as string;
      const refused = await send(`/v1/responses/${foreground}/cancel`, { method: 'POST' });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual(invalid('Cannot cancel a synchronous response.', null));
      const id = framesOf(await (await post({ background: true })).text(), 'sse')[0].json.response.id as string;
      const before = server.requests.length;
      for (let i = 0; i < 2; i++) expect(await client.responses.cancel(id)).toMatchObject({ id, status: 'cancelled', background: true });
      expect(server.requests.slice(before).filter(isCancel)).toHaveLength(2);
      expect(await client.responses.retrieve(id)).toMatchObject({ status: 'cancelled' });
    });
  });

  describe('rxllm on it', () => {
    /** the requests after `since` once `count` arrived (or after 1 s), with room for one that should not come */
    const settle = async (since: number, count: number) => {
      for (let waited = 0; server.requests.length - since < count && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 50));
      return server.requests.slice(since);
    };
    const responseOf = async (id: string) => (await (await send(`/v1/responses/${id}`)).json()) as { status: string };

    test('unsubscribing mid-stream sends exactly one cancel; the response is cancelled', async () => {
      const before = server.requests.length;
      const first = await firstValueFrom(chat$(server, { background: true, headers: { 'x-mock-sentences': '6', 'x-mock-chunk-delay-ms': '5' } }).pipe(take(3), toArray()));
      const requests = await settle(before, 2);
      const id = first[0].id!;
      expect(requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/responses', `POST /v1/responses/${id}/cancel`]);
      expect(requests.filter(isCancel)).toHaveLength(1);
      expect(await responseOf(id)).toMatchObject({ status: 'cancelled' });
    });

    test('completing normally sends no cancel; the response is completed', async () => {
      const before = server.requests.length;
      const { chunks, error } = await collect(chat$(server, { background: true }));
      expect(error).toBeUndefined();
      const requests = await settle(before, 1);
      expect(requests.map((r) => r.method)).toEqual(['POST']);
      expect(await responseOf(chunks[0].id!)).toMatchObject({ status: 'completed' });
    });

    test('a break before the first chunk has no checkpoint: the POST again (a second response), no GET, the answer whole', async () => {
      const expected = text((await collect(chat$(server, { background: true }))).chunks);
      const before = server.requests.length;
      server.queueFaults({ kind: 'reset', afterBytes: 100 });
      const { chunks, error } = await collect(chat$(server, { background: true, streamRecovery: true, recovery: { delay: 0 } }));
      server.clearFaults();
      expect(error).toBeUndefined();
      expect(text(chunks)).toBe(expected);
      expect(server.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual(['POST /v1/responses', 'POST /v1/responses']);
    });

    describe.each([
      { background: true, name: 'background: each break resumed by one GET from the last event delivered, no continuation prompt' },
      { background: false, name: 'foreground: each break continued by a new POST with the partial answer, no GET' },
    ])('$name', ({ background }) => {
      const clean = new Map<string, CleanStream>();
      beforeAll(async () => {
        for (const { name, headers } of ANSWERS) clean.set(name, await rawStream({ background }, headers));
      });

      test(`random resets (${RUNS} runs, one or two each): the answer whole and once, seq contiguous, the request log as expected`, async () => {
        const seed = Number(process.env.RXLLM_SEED ?? (background ? 7 : 11));
        const random = seededRandom(seed);
        // each run's answer and faults, drawn in run order from the seed. The first reset falls after
        // the first content frame: a break before any chunk has no checkpoint, and rxllm then sends the
        // POST again (a retry, not a resume). The second falls inside the resumed stream (background),
        // or early in the continuation's (foreground: shorter than the first frames of any answer).
        const runs = Array.from({ length: RUNS }, (_, run) => {
          const answer = ANSWERS[run % ANSWERS.length];
          const stream = clean.get(answer.name)!;
          const first = stream.firstContentEnd + Math.floor(random() * (stream.bytes - stream.firstContentEnd));
          const faults: MockFault[] = [{ kind: 'reset', afterBytes: first }];
          const checkpoints = [checkpointAfter(stream, 0, first)!];
          if (random() < 0.4) {
            const from = checkpoints[0] + 1;
            const room = background ? bytesFrom(stream, from) : stream.firstContentEnd + 300;
            const second = 1 + Math.floor(random() * (room - 1));
            faults.push({ kind: 'reset', afterBytes: second });
            checkpoints.push(checkpointAfter(stream, from, second, checkpoints[0])!);
          }
          return { answer, faults, checkpoints };
        });
        await inLanes(runs, lanes.servers, async ({ answer, faults, checkpoints }, lane, run) => {
          const before = lane.requests.length;
          lane.queueFaults(...faults);
          const { chunks, error } = await collect(chat$(lane, { background, headers: answer.headers, streamRecovery: true, recovery: { delay: 0, maxRetries: 3 } }));
          lane.clearFaults();
          const log = lane.requests.slice(before);
          try {
            expect(error).toBeUndefined();
            expect(text(chunks)).toBe(clean.get(answer.name)!.text);
            expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
            expect(log[0]).toMatchObject({ method: 'POST', path: '/v1/responses' });
            expect(log).toHaveLength(1 + faults.length);
            if (background) {
              const id = chunks[0].id;
              expect(log.slice(1).map((r) => `${r.method} ${r.path}`)).toEqual(checkpoints.map((n) => `GET /v1/responses/${id}?stream=true&starting_after=${n}`));
            } else {
              for (const continued of log.slice(1)) {
                expect(continued).toMatchObject({ method: 'POST', path: '/v1/responses' });
                const input = (continued.body as { input: Array<{ role?: string }> }).input;
                expect(input.map((item) => item.role)).toEqual(['user', 'assistant', 'user']);
              }
            }
          } catch (failure) {
            throw new Error(`seed ${seed}, run ${run} (${answer.name}), faults ${JSON.stringify(faults)}: ${(failure as Error).message}`);
          }
        });
      }, 60_000);
    });
  });
});
