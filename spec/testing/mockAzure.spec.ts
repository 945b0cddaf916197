import OpenAI, { AzureOpenAI } from 'openai';
import { lastValueFrom } from 'rxjs';
import { isHttpError, streamChat$, toResponse, type ChatMessage } from '../../lib';
import { azure } from '../../providers/azure/azure';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockFault, type MockMessage, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { answerHeader, framesOf, type Frame } from '../support/mockWire';
import { WHITESPACE_ANSWERS, WHITESPACE_CASES } from '../support/whitespaceAnswers';

const KEY = 'azure-mock-key';
const TOKEN = 'entra-mock-token';
const DEPLOYMENT = 'my-gpt-5-nano';
const API_VERSION = '2024-10-21';
const ACCESS_DENIED = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};
const SAFE = { filtered: false, severity: 'safe' };
const COMPLETION_FILTER = { hate: SAFE, self_harm: SAFE, sexual: SAFE, violence: SAFE };

describe('the mock server speaks Azure OpenAI', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer();
  });
  afterAll(() => server.close());

  const user = (content: string): MockMessage[] => [{ role: 'user', content }];
  const DATED_PATH = `/openai/deployments/${DEPLOYMENT}/chat/completions?api-version=${API_VERSION}`;
  const V1_PATH = '/openai/v1/chat/completions';
  /** A raw POST, for what a client library would hide: the frames, the error bodies. */
  const post = (path: string, body: unknown, headers: Record<string, string> = { 'api-key': KEY }) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const chatBody = (prompt: string, extra: Record<string, unknown> = {}) => ({ model: DEPLOYMENT, messages: user(prompt), stream: true, ...extra });
  /** The frames of a streamed answer, as far as they came (a cut or a reset ends the body early). */
  const framesFor = async (path: string, body: unknown, headers?: Record<string, string>): Promise<Frame[]> => {
    const response = await post(path, body, headers);
    const reader = response.body!.getReader();
    const parts: Uint8Array[] = [];
    try {
      for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
    } catch {
      // the body broke off: what came is what the test looks at
    }
    return framesOf(Buffer.concat(parts).toString('utf8'), 'sse');
  };
  const textOf = (frames: Frame[]) => frames.map((f) => f.json?.choices?.[0]?.delta?.content ?? '').join('');

  describe("the openai package's AzureOpenAI reads its streams (the dated form)", () => {
    const read = async (client: AzureOpenAI, prompt: string) => {
      const stream = await client.chat.completions.create({ model: DEPLOYMENT, messages: user(prompt) as OpenAI.ChatCompletionMessageParam[], stream: true, stream_options: { include_usage: true } });
      const chunks: OpenAI.ChatCompletionChunk[] = [];
      for await (const chunk of stream) chunks.push(chunk);
      return chunks;
    };

    test('with the key: the answer, the deployment as the model, the usage, api-key sent', async () => {
      const client = new AzureOpenAI({ endpoint: server.url, apiKey: KEY, deployment: DEPLOYMENT, apiVersion: API_VERSION });
      const prompt = 'What does Azure add to a stream?';
      const expected = answerFor(user(prompt));
      const before = server.requests.length;
      const chunks = await read(client, prompt);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(expected.text);
      expect(new Set(chunks.map((c) => c.model).filter((m) => m !== ''))).toEqual(new Set([DEPLOYMENT]));
      expect(chunks[chunks.length - 1].usage).toMatchObject({ prompt_tokens: expected.inputTokens, completion_tokens: tokenize(expected.text).length });
      const request = server.requests[before];
      expect(request.path).toBe(DATED_PATH);
      expect(request.headers['api-key']).toBe(KEY);
      expect(request.headers.authorization).toBeUndefined();
    });

    test('with azureADTokenProvider: the same answer, the token as Bearer', async () => {
      const client = new AzureOpenAI({ endpoint: server.url, azureADTokenProvider: async () => TOKEN, deployment: DEPLOYMENT, apiVersion: API_VERSION });
      const prompt = 'What does Azure add to a stream?';
      const before = server.requests.length;
      const chunks = await read(client, prompt);
      expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe(answerFor(user(prompt)).text);
      expect(server.requests[before].headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(server.requests[before].headers['api-key']).toBeUndefined();
    });

    test('the v1 form with the plain OpenAI client (the key as Bearer), as Azure documents it', async () => {
      const client = new OpenAI({ baseURL: mockBaseURL(server, 'azure'), apiKey: KEY });
      const prompt = 'And the v1 form?';
      const stream = await client.chat.completions.create({ model: DEPLOYMENT, messages: [{ role: 'user', content: prompt }], stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
      expect(text).toBe(answerFor(user(prompt)).text);
    });
  });

  describe('the Responses API on the v1 form (OpenAI routes behind Azure gateway)', () => {
    test('the openai package streams an answer, and a background one is retrieved and cancelled under /openai/v1/responses/{id}', async () => {
      const client = new OpenAI({ baseURL: mockBaseURL(server, 'azure'), apiKey: KEY });
      const prompt = 'What is a deployment?';
      const response = await client.responses.stream({ model: DEPLOYMENT, input: prompt }).finalResponse();
      expect(response.output_text).toBe(answerFor(user(prompt)).text);
      expect(response.model).toBe(DEPLOYMENT);
      const queued = await client.responses.create({ model: DEPLOYMENT, input: prompt, background: true });
      expect((await client.responses.retrieve(queued.id)).output_text).toBe(answerFor(user(prompt)).text);
      expect((await client.responses.cancel(queued.id)).status).toBe('cancelled');
      const paths = server.requests.slice(-3).map((r) => `${r.method} ${r.path}`);
      expect(paths).toEqual(['POST /openai/v1/responses', `GET /openai/v1/responses/${queued.id}`, `POST /openai/v1/responses/${queued.id}/cancel`]);
    });
  });

  describe("rxllm's azure provider", () => {
    const prompt = 'Tell me why streams break and how to continue them.';
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    const expected = answerFor(user(prompt), { sentences: 6 });
    const headers = { 'x-mock-sentences': '6' };
    const v1 = () => ({ baseURL: mockBaseURL(server, 'azure'), model: DEPLOYMENT, apiKey: KEY, headers });
    const dated = () => ({ baseURL: `${server.url}/openai`, deployment: DEPLOYMENT, apiVersion: API_VERSION, apiKey: KEY, headers });
    const FORMS: Array<[string, () => Record<string, unknown>, string]> = [
      ['v1', v1, V1_PATH],
      ['dated', dated, DATED_PATH],
    ];

    test.each(FORMS)('the %s form with the key: the answer, finish and usage; api-key sent', async (_, options, path) => {
      const before = server.requests.length;
      const answer = await lastValueFrom(streamChat$(azure, messages, options()).pipe(toResponse()));
      expect(answer.content).toBe(expected.text);
      expect(answer.finishReason).toBe('stop');
      expect(answer.usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: tokenize(expected.text).length });
      expect(server.requests[before].path).toBe(path);
      expect(server.requests[before].headers['api-key']).toBe(KEY);
    });

    test.each(FORMS)('the %s form with an Entra token provider: the same answer, the token as Bearer, no api-key', async (_, options) => {
      const before = server.requests.length;
      const { apiKey, ...rest } = options();
      const answer = await lastValueFrom(streamChat$(azure, messages, { ...rest, azureADTokenProvider: async () => TOKEN }).pipe(toResponse()));
      expect(apiKey).toBe(KEY);
      expect(answer.content).toBe(expected.text);
      expect(server.requests[before].headers.authorization).toBe(`Bearer ${TOKEN}`);
      expect(server.requests[before].headers['api-key']).toBeUndefined();
    });

    test.each(FORMS)('the %s form with recovery: a reset mid-stream still gives the whole answer exactly once', async (_, options) => {
      const before = server.requests.length;
      await lastValueFrom(streamChat$(azure, messages, options()).pipe(toResponse()));
      const bytes = (await server.requests[before].closed).bytesWritten;
      for (const at of [0.3, 0.7]) {
        const fault: MockFault = { kind: 'reset', afterBytes: Math.floor(bytes * at) };
        server.queueFaults(fault);
        const { chunks, error } = await collect(streamChat$(azure, messages, { ...options(), streamRecovery: true, recovery: { delay: 0 } }));
        server.clearFaults();
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected.text);
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      }
    });

    test("without credentials the mock's 401 reaches the caller as an HttpError", async () => {
      // no key and no token provider (an empty token is refused by rxllm before it is sent)
      const { apiKey: _key, ...keyless } = v1();
      const { error } = await collect(streamChat$(azure, messages, keyless));
      expect(isHttpError(error)).toBe(true);
      expect(error).toMatchObject({ status: 401 });
    });
  });

  describe('what Azure refuses', () => {
    test.each([
      ['v1', V1_PATH],
      ['dated', DATED_PATH],
      ['Responses (v1)', '/openai/v1/responses'],
    ])('the %s form without api-key or Bearer: 401 with Azure body', async (_, path) => {
      const refused: Array<Record<string, string>> = [{}, { 'api-key': '' }, { authorization: 'Bearer ' }, { authorization: `Basic ${KEY}` }];
      for (const headers of refused) {
        const response = await post(path, { ...chatBody('hi'), input: 'hi' }, headers);
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual(ACCESS_DENIED);
      }
    });

    test('the dated form without api-version: 404 Resource not found; with one that is no version: 400 API version not supported', async () => {
      const path = `/openai/deployments/${DEPLOYMENT}/chat/completions`;
      const missing = await post(path, chatBody('hi'));
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: { code: '404', message: 'Resource not found' } });
      for (const version of ['latest', '2024-10', '2024-10-21-beta', '']) {
        const response = await post(`${path}?api-version=${version}`, chatBody('hi'));
        expect(response.status).toBe(version === '' ? 404 : 400);
        if (version !== '') expect(await response.json()).toEqual({ error: { code: 'BadRequest', message: 'API version not supported' } });
      }
      const preview = await post(`${path}?api-version=2025-04-01-preview`, chatBody('hi', { stream: false }));
      expect(preview.status).toBe(200);
    });

    test('status faults answer Azure error bodies, with retry-after', async () => {
      const fault = (f: MockFault) => ({ 'api-key': KEY, 'x-mock-fault': JSON.stringify(f) });
      const limited = await post(V1_PATH, chatBody('hi'), fault({ kind: 'status', status: 429, retryAfter: '1' }));
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('1');
      expect(await limited.json()).toEqual({ error: { code: '429', message: expect.any(String) } });
      const failed = await post(DATED_PATH, chatBody('hi'), fault({ kind: 'status', status: 500 }));
      expect(await failed.json()).toEqual({ error: { code: 'InternalServerError', message: expect.any(String) } });
      const missing = await post('/openai/v1/responses', { model: DEPLOYMENT, input: 'hi' }, fault({ kind: 'status', status: 404 }));
      expect(await missing.json()).toEqual({ error: { code: 'DeploymentNotFound', message: expect.any(String) } });
    });
  });

  describe("the stream has Azure's content filter where Azure puts it", () => {
    test.each([
      ['v1', V1_PATH],
      ['dated', DATED_PATH],
    ])('%s form, usage asked for: the prompt filter first, filter results on each choice, the finish, the offsets, the usage, [DONE]', async (_, path) => {
      const prompt = 'Where does the filter go?';
      const expected = answerFor(user(prompt));
      const frames = await framesFor(path, chatBody(prompt, { stream_options: { include_usage: true } }));
      const [first, ...rest] = frames;
      expect(first.json).toEqual({
        choices: [],
        created: 0,
        id: '',
        model: '',
        object: '',
        prompt_filter_results: [{ prompt_index: 0, content_filter_results: { ...COMPLETION_FILTER, jailbreak: { filtered: false, detected: false } } }],
      });
      expect(first.data!.startsWith('{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,')).toBe(true);
      const [done, usage, offsets, finish] = rest.slice(-4).reverse();
      expect(done.data).toBe('[DONE]');
      expect(usage.json).toMatchObject({ choices: [], model: DEPLOYMENT, usage: { prompt_tokens: expected.inputTokens } });
      expect(offsets.json).toEqual({
        choices: [
          {
            content_filter_offsets: { check_offset: expected.text.length, end_offset: expected.text.length, start_offset: 0 },
            content_filter_results: COMPLETION_FILTER,
            finish_reason: null,
            index: 0,
          },
        ],
        created: 0,
        id: '',
        model: '',
        object: '',
      });
      expect(finish.json.choices).toEqual([expect.objectContaining({ content_filter_results: {}, delta: {}, finish_reason: 'stop' })]);
      const model = rest.slice(0, -3);
      expect(model[0].json.choices[0]).toMatchObject({ content_filter_results: {}, delta: { role: 'assistant', content: '' } });
      for (const frame of model.slice(1, -1)) expect(frame.json.choices[0].content_filter_results).toEqual(COMPLETION_FILTER);
      for (const frame of model) {
        expect(frame.json).toMatchObject({ id: expect.stringMatching(/^chatcmpl-/), model: DEPLOYMENT, object: 'chat.completion.chunk', system_fingerprint: null, usage: null });
        // Azure writes the keys in alphabetical order
        expect(Object.keys(frame.json)).toEqual(Object.keys(frame.json).sort());
      }
      expect(textOf(frames)).toBe(expected.text);
    });

    test('without include_usage: no usage chunk and no usage keys; the offsets chunk still follows the finish', async () => {
      const frames = await framesFor(V1_PATH, chatBody('no usage please'));
      expect(frames.some((f) => f.json !== undefined && 'usage' in f.json)).toBe(false);
      const [finish, offsets, done] = frames.slice(-3);
      expect(finish.json.choices[0].finish_reason).toBe('stop');
      expect(offsets.json.choices[0]).toMatchObject({ content_filter_offsets: expect.any(Object), finish_reason: null });
      expect(offsets.json.choices[0].delta).toBeUndefined();
      expect(done.data).toBe('[DONE]');
    });
  });

  describe('faults break the stream as on the other routes', () => {
    const prompt = 'fault me';
    const text = answerFor(user(prompt)).text;
    const withFault = (fault: MockFault) => framesFor(V1_PATH, chatBody(prompt), { 'api-key': KEY, 'x-mock-fault': JSON.stringify(fault) });

    test('error-event after 2 content chunks: the prompt filter, the role, 2 pieces, the error', async () => {
      const frames = await withFault({ kind: 'error-event', afterChunks: 2 });
      expect(frames).toHaveLength(5);
      expect(frames[0].json.prompt_filter_results).toBeDefined();
      expect(frames[4].json).toEqual({ error: expect.objectContaining({ type: 'server_error' }) });
    });

    test('malformed: a broken frame among the whole answer', async () => {
      const frames = await withFault({ kind: 'malformed', afterChunks: 1 });
      expect(frames.filter((f) => f.json === undefined && f.data !== '[DONE]')).toHaveLength(1);
      expect(textOf(frames)).toBe(text);
    });

    test('truncate: the whole text, no finish, offsets, usage or [DONE]', async () => {
      const frames = await withFault({ kind: 'truncate' });
      expect(textOf(frames)).toBe(text);
      expect(frames[frames.length - 1].json.choices[0].finish_reason).toBeNull();
      expect(frames.some((f) => f.data === '[DONE]' || f.json?.choices?.[0]?.content_filter_offsets !== undefined)).toBe(false);
    });

    test('cut after 30 characters: the text stops exactly there', async () => {
      const frames = await withFault({ kind: 'cut', afterChars: 30 });
      expect(textOf(frames)).toBe(text.slice(0, 30));
      expect(frames[frames.length - 1].json.choices[0].delta.content).toBeTruthy();
    });

    test('stall and reset: the body pauses, or breaks off after the given bytes', async () => {
      const started = Date.now();
      expect(textOf(await withFault({ kind: 'stall', afterBytes: 200, ms: 150 }))).toBe(text);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
      const before = server.requests.length;
      await withFault({ kind: 'reset', afterBytes: 300 });
      expect(await server.requests[before].closed).toEqual({ completed: false, bytesWritten: 300 });
    });
  });

  describe('answers with significant white space come through byte for byte', () => {
    test.each(Object.entries({ ...WHITESPACE_ANSWERS, ...WHITESPACE_CASES }))('%s', async (_, answer) => {
      const frames = await framesFor(DATED_PATH, chatBody('Format this.'), { 'api-key': KEY, ...answerHeader(answer) });
      expect(textOf(frames)).toBe(answer);
      const response = await lastValueFrom(
        streamChat$(azure, [{ role: 'user', content: 'Format this.' }], { baseURL: mockBaseURL(server, 'azure'), model: DEPLOYMENT, apiKey: KEY, headers: answerHeader(answer) }).pipe(
          toResponse(),
        ),
      );
      expect(response.content).toBe(answer);
    });
  });
});
