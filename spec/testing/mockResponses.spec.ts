import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage } from '../../lib';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { answerFor, mockBaseURL, startMockServer, tokenize, type MockFault, type MockMessage, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { answerHeader, framesOf, type Frame } from '../support/mockWire';
import { WHITESPACE_ANSWERS, WHITESPACE_CASES } from '../support/whitespaceAnswers';
import { RESPONSES_WEATHER } from '../support/responsesWeatherTool';

/** What rxllm's recovery sends after a partial answer (the instruction form). */
const CONTINUE = 'Continue your previous answer exactly where it stopped. Do not repeat anything you already wrote and add no preamble.';

const WEATHER = RESPONSES_WEATHER;

describe('the mock server speaks the OpenAI Responses API', () => {
  let server: MockServer;
  let client: OpenAI;
  beforeAll(async () => {
    server = await startMockServer();
    client = new OpenAI({ baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock' });
  });
  afterAll(() => server.close());

  /** A raw `POST /v1/responses`, for what a client library would hide: the frames, the error bodies. */
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/v1/responses`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-mock', ...headers }, body: JSON.stringify(body) });
  /** The body's bytes as far as they came, and whether it ended cleanly (a reset or a cut closes the connection first). */
  const bodyOf = async (response: Response): Promise<{ bytes: Buffer; complete: boolean }> => {
    const reader = response.body!.getReader();
    const parts: Uint8Array[] = [];
    try {
      for (let part = await reader.read(); !part.done; part = await reader.read()) parts.push(part.value);
      return { bytes: Buffer.concat(parts), complete: true };
    } catch {
      return { bytes: Buffer.concat(parts), complete: false };
    }
  };
  const framesFor = async (body: unknown, headers: Record<string, string> = {}): Promise<Frame[]> => framesOf((await bodyOf(await post(body, headers))).bytes.toString('utf8'), 'sse');
  const user = (content: string): MockMessage[] => [{ role: 'user', content }];

  describe('the openai package reads its streams', () => {
    test('responses.stream(…).finalResponse(): the answer text, the ids, the usage', async () => {
      const prompt = 'Why do chat apps stream?';
      const expected = answerFor(user(prompt));
      const response = await client.responses.stream({ model: 'gpt-5-mini', input: prompt }).finalResponse();
      expect(response.output_text).toBe(expected.text);
      expect(response).toMatchObject({ id: expect.stringMatching(/^resp_/), model: 'gpt-5-mini', status: 'completed' });
      expect(response.output).toEqual([expect.objectContaining({ type: 'message', id: expect.stringMatching(/^msg_/), role: 'assistant', status: 'completed' })]);
      const outputTokens = tokenize(expected.text).length;
      expect(response.usage).toEqual({
        input_tokens: expected.inputTokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: outputTokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: expected.inputTokens + outputTokens,
      });
    });

    test('responses.create({ stream: true }): events numbered from 0, text deltas that join to the answer, response.completed last', async () => {
      const input = [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: 'What is a token?' }] }];
      const stream = await client.responses.create({ model: 'gpt-5-mini', input, stream: true });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      expect(events.map((e) => e.type)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
        ...events.filter((e) => e.type === 'response.output_text.delta').map(() => 'response.output_text.delta'),
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      const text = events.map((e) => (e.type === 'response.output_text.delta' ? e.delta : '')).join('');
      expect(text).toBe(answerFor(user('What is a token?')).text);
      const done = events.find((e) => e.type === 'response.output_text.done');
      expect(done?.type === 'response.output_text.done' && done.text).toBe(text);
    });

    test('on the wire: `event:` equals the payload type, and there is no [DONE]', async () => {
      const frames = await framesFor({ model: 'gpt-5-mini', input: 'wire check', stream: true });
      expect(frames.length).toBeGreaterThan(5);
      for (const frame of frames) expect(frame.event).toBe(frame.json?.type);
      expect(frames.some((f) => f.data === '[DONE]')).toBe(false);
    });

    test('a tool call: a function_call item with an fc_ id, the call_… id to answer and the arguments', async () => {
      const prompt = 'Use get_weather for Lyon';
      const expected = answerFor(user(prompt), { tools: [{ name: 'get_weather', parameters: WEATHER.parameters }] }).toolCalls[0];
      const response = await client.responses.stream({ model: 'gpt-5-mini', input: prompt, tools: [WEATHER] }).finalResponse();
      expect(response.output).toHaveLength(1);
      expect(response.output[0]).toMatchObject({ id: expect.stringMatching(/^fc_/), type: 'function_call', status: 'completed', call_id: expected.id, name: 'get_weather', arguments: expected.arguments });
      expect(expected.id).toMatch(/^call_/);
      expect(JSON.parse(expected.arguments)).toEqual({ city: 'Lyon' });
      expect(response.output_text).toBe('');
    });

    test('the tool result sent back (function_call, function_call_output) gets an answer that reports it', async () => {
      const call = answerFor(user('Use get_weather for Lyon'), { tools: [{ name: 'get_weather', parameters: WEATHER.parameters }] }).toolCalls[0];
      const input: OpenAI.Responses.ResponseInput = [
        { role: 'user', content: 'Use get_weather for Lyon' },
        { type: 'function_call', call_id: call.id, name: call.name, arguments: call.arguments },
        { type: 'function_call_output', call_id: call.id, output: 'sunny, 21 °C' },
      ];
      const response = await client.responses.stream({ model: 'gpt-5-mini', input, tools: [WEATHER] }).finalResponse();
      expect(response.output_text).toBe('The tool answered: sunny, 21 °C');
      // the same conversation over Chat Completions is the same to the mock model: same answer, same input tokens
      const chat = await client.chat.completions.create({
        model: 'gpt-5-mini',
        messages: [
          { role: 'user', content: 'Use get_weather for Lyon' },
          { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }] },
          { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 °C' },
        ],
      });
      expect(chat.choices[0].message.content).toBe(response.output_text);
      expect(chat.usage?.prompt_tokens).toBe(response.usage?.input_tokens);
    });

    test('reasoning.summary asked for: a reasoning item with its summary first, and reasoning tokens', async () => {
      const prompt = 'Think, then answer: why stream?';
      const expected = answerFor(user(prompt), { thinking: true });
      const response = await client.responses.stream({ model: 'gpt-5-mini', input: prompt, reasoning: { effort: 'low', summary: 'auto' } }).finalResponse();
      expect(response.output[0]).toEqual({ id: expect.stringMatching(/^rs_/), type: 'reasoning', summary: [{ type: 'summary_text', text: expected.reasoning }] });
      expect(response.output_text).toBe(expected.text);
      expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(tokenize(expected.reasoning).length);
      const plain = await client.responses.stream({ model: 'gpt-5-mini', input: prompt }).finalResponse();
      expect(plain.output.map((item) => item.type)).toEqual(['message']);
    });

    test('max_output_tokens reached: response.incomplete with incomplete_details.reason max_output_tokens, the text cut there', async () => {
      const prompt = 'A long answer, please.';
      const stream = await client.responses.create({ model: 'gpt-5-mini', input: prompt, max_output_tokens: 16, stream: true });
      const events: OpenAI.Responses.ResponseStreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const last = events[events.length - 1];
      expect(last.type).toBe('response.incomplete');
      if (last.type !== 'response.incomplete') return;
      expect(last.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { output_tokens: 16 } });
      expect(last.response.output_text ?? events.map((e) => (e.type === 'response.output_text.delta' ? e.delta : '')).join('')).toBe(
        tokenize(answerFor(user(prompt)).text).slice(0, 16).join(''),
      );
    });

    test('instructions are the conversation’s system message', async () => {
      const response = await client.responses.stream({ model: 'gpt-5-mini', instructions: 'Be brief.', input: 'Hi there' }).finalResponse();
      expect(response.output_text).toBe(answerFor([{ role: 'system', content: 'Be brief.' }, ...user('Hi there')]).text);
      expect(response.instructions).toBe('Be brief.');
    });

    test('without stream: true, the response object', async () => {
      const response = await client.responses.create({ model: 'gpt-5-mini', input: 'once' });
      expect(response.output_text).toBe(answerFor(user('once')).text);
      expect(response.status).toBe('completed');
    });
  });

  describe('refuses what api.openai.com refuses, with its status and body', () => {
    const invalid = (message: string, param: string | null, code: string | null = null) => ({ error: { message, type: 'invalid_request_error', param, code } });
    test.each([
      ['no model', { input: 'Hi', stream: true }, invalid("Missing required parameter: 'model'.", 'model', 'missing_required_parameter')],
      ['no input', { model: 'gpt-5-mini', stream: true }, invalid("Missing required parameter: 'input'.", 'input', 'missing_required_parameter')],
      [
        'a function_call_output that answers no function_call',
        { model: 'gpt-5-mini', stream: true, input: [{ role: 'user', content: 'Hi' }, { type: 'function_call_output', call_id: 'call_x', output: '42' }] },
        invalid('No tool call found for function call output with call_id call_x.', 'input'),
      ],
      [
        'a function_call_output before its function_call',
        {
          model: 'gpt-5-mini',
          stream: true,
          input: [
            { type: 'function_call_output', call_id: 'call_y', output: '42' },
            { type: 'function_call', call_id: 'call_y', name: 'f', arguments: '{}' },
          ],
        },
        invalid('No tool call found for function call output with call_id call_y.', 'input'),
      ],
      [
        'max_output_tokens below 16',
        { model: 'gpt-5-mini', input: 'Hi', max_output_tokens: 10, stream: true },
        invalid("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= 16, but got 10 instead.", 'max_output_tokens', 'integer_below_min_value'),
      ],
    ])('%s: 400', async (_, body, expected) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual(expected);
    });

    test('the openai package sees a refusal as a BadRequestError with the message', async () => {
      const input: OpenAI.Responses.ResponseInput = [{ type: 'function_call_output', call_id: 'call_x', output: '42' }];
      await expect(client.responses.create({ model: 'gpt-5-mini', input, stream: true })).rejects.toMatchObject({
        status: 400,
        message: expect.stringContaining('No tool call found for function call output with call_id call_x.'),
      });
    });

    test('a 401 (a status fault: the route, like the Chat Completions one, does not check the key) has invalid_api_key', async () => {
      const response = await post({ model: 'gpt-5-mini', input: 'Hi', stream: true }, { 'x-mock-fault': JSON.stringify({ kind: 'status', status: 401 }) });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    });

    test('a 429 has its retry-after and OpenAI’s rate-limit body', async () => {
      const response = await post({ model: 'gpt-5-mini', input: 'Hi', stream: true }, { 'x-mock-fault': JSON.stringify({ kind: 'status', status: 429, retryAfter: '1' }) });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ error: { type: 'requests', code: 'rate_limit_exceeded' } });
    });
  });

  describe('continuations', () => {
    const question = 'Why do streams break, and how are they continued?';
    const original = answerFor(user(question), { sentences: 5 }).text;
    const headers = { 'x-mock-sentences': '5' };

    test.each([17, 60, original.length])('the partial answer as an assistant message, then "Continue…": exactly the rest (cut at %i)', async (cut) => {
      const input: OpenAI.Responses.ResponseInput = [
        { role: 'user', content: question },
        { role: 'assistant', content: original.slice(0, cut) },
        { role: 'user', content: CONTINUE },
      ];
      const response = await client.responses.stream({ model: 'gpt-5-mini', input }, { headers }).finalResponse();
      expect(response.output_text).toBe(original.slice(cut));
    });

    test('the partial answer as an output message item (output_text parts) works the same', async () => {
      const input: OpenAI.Responses.ResponseInput = [
        { role: 'user', content: [{ type: 'input_text', text: question }] },
        { type: 'message', id: 'msg_earlier', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: original.slice(0, 42), annotations: [] }] },
        { role: 'user', content: [{ type: 'input_text', text: CONTINUE }] },
      ];
      const response = await client.responses.stream({ model: 'gpt-5-mini', input }, { headers }).finalResponse();
      expect(original.slice(0, 42) + response.output_text).toBe(original);
    });
  });

  describe('faults', () => {
    const body = { model: 'gpt-5-mini', input: 'fault me', stream: true };

    test('a reset mid-stream cuts the body after exactly N bytes: no response.completed', async () => {
      const clean = await bodyOf(await post(body));
      expect(clean.complete).toBe(true);
      const afterBytes = Math.floor(clean.bytes.length / 2);
      const { bytes: got, complete } = await bodyOf(await post(body, { 'x-mock-fault': JSON.stringify({ kind: 'reset', afterBytes }) }));
      expect(complete).toBe(false);
      expect(got.equals(clean.bytes.subarray(0, afterBytes))).toBe(true);
      expect(got.includes(Buffer.from('response.completed'))).toBe(false);
    });

    test('the openai package fails on a reset stream', async () => {
      const stream = client.responses.stream({ model: 'gpt-5-mini', input: 'fault me' }, { headers: { 'x-mock-fault': JSON.stringify({ kind: 'reset', afterBytes: 900 }) } });
      await expect(stream.finalResponse()).rejects.toThrow();
    });

    test('an error event mid-stream: event: error, numbered next, then response.failed, and the body ends', async () => {
      const frames = await framesFor(body, { 'x-mock-fault': JSON.stringify({ kind: 'error-event', afterChunks: 3 }) });
      const [error, failed] = frames.slice(-2);
      expect(error.event).toBe('error');
      expect(error.json).toEqual({ type: 'error', sequence_number: frames.length - 2, error: { type: 'server_error', code: 'server_error', message: expect.any(String), param: null } });
      expect(failed.event).toBe('response.failed');
      expect(failed.json).toMatchObject({ sequence_number: frames.length - 1, response: { status: 'failed', error: { code: 'server_error' } } });
      expect(frames.slice(0, -2).map((f) => f.json.sequence_number)).toEqual(frames.slice(0, -2).map((_, i) => i));
      expect(frames.filter((f) => f.event === 'response.output_text.delta')).toHaveLength(3);
      const sdk = client.responses.stream({ model: 'gpt-5-mini', input: 'fault me' }, { headers: { 'x-mock-fault': JSON.stringify({ kind: 'error-event', afterChunks: 3 }) } });
      await expect(sdk.finalResponse()).rejects.toThrow();
    });

    test('a missing terminator: everything but response.completed', async () => {
      const clean = await framesFor(body);
      const truncated = await framesFor(body, { 'x-mock-fault': JSON.stringify({ kind: 'truncate' }) });
      expect(truncated.map((f) => f.raw)).toEqual(clean.slice(0, -1).map((f) => f.raw));
      expect(clean[clean.length - 1].event).toBe('response.completed');
    });

    test('a malformed frame: one event whose JSON does not parse, the rest as usual', async () => {
      const clean = await framesFor(body);
      const frames = await framesFor(body, { 'x-mock-fault': JSON.stringify({ kind: 'malformed', afterChunks: 2 }) });
      expect(frames).toHaveLength(clean.length + 1);
      expect(frames.filter((f) => f.json === undefined)).toHaveLength(1);
    });

    test('a cut after N characters: the text stops exactly there, nothing follows', async () => {
      const text = answerFor(user('fault me')).text;
      const frames = await framesFor(body, { 'x-mock-fault': JSON.stringify({ kind: 'cut', afterChars: 30 }) });
      expect(frames.map((f) => (f.event === 'response.output_text.delta' ? f.json.delta : '')).join('')).toBe(text.slice(0, 30));
      expect(frames[frames.length - 1].event).toBe('response.output_text.delta');
    });
  });

  describe('answers with significant white space come through byte for byte', () => {
    test.each(Object.entries({ ...WHITESPACE_ANSWERS, ...WHITESPACE_CASES }))('%s', async (_, answer) => {
      const response = await client.responses.stream({ model: 'gpt-5-mini', input: 'Format this.' }, { headers: answerHeader(answer) }).finalResponse();
      expect(response.output_text).toBe(answer);
      const frames = await framesFor({ model: 'gpt-5-mini', input: 'Format this.', stream: true }, answerHeader(answer));
      expect(frames.map((f) => (f.event === 'response.output_text.delta' ? f.json.delta : '')).join('')).toBe(answer);
    });
  });

  describe("rxllm's own Responses decoder", () => {
    const prompt = 'Tell me why streams break and how to continue them.';
    const messages: ChatMessage[] = [{ role: 'user', content: prompt }];
    const options = () => ({ baseURL: mockBaseURL(server, 'openai-responses'), apiKey: 'sk-mock', headers: { 'x-mock-sentences': '6' } });

    test('streams the same answer, usage and finish reason', async () => {
      const expected = answerFor(user(prompt), { sentences: 6 });
      const answer = await lastValueFrom(streamChat$(openaiResponses, messages, options()).pipe(toResponse()));
      expect(answer.content).toBe(expected.text);
      expect(answer.finishReason).toBe('stop');
      expect(answer.usage).toMatchObject({ inputTokens: expected.inputTokens, outputTokens: tokenize(expected.text).length, cachedInputTokens: 0, reasoningTokens: 0 });
    });

    test('with recovery, a reset mid-stream still gives the whole answer exactly once', async () => {
      const expected = answerFor(user(prompt), { sentences: 6 }).text;
      const before = server.requests.length;
      const clean = await lastValueFrom(streamChat$(openaiResponses, messages, options()).pipe(toResponse()));
      const bytes = (await server.requests[before].closed).bytesWritten;
      expect(clean.content).toBe(expected);
      for (const at of [0.3, 0.55, 0.8]) {
        const fault: MockFault = { kind: 'reset', afterBytes: Math.floor(bytes * at) };
        server.queueFaults(fault);
        const { chunks, error } = await collect(streamChat$(openaiResponses, messages, { ...options(), streamRecovery: true, recovery: { delay: 0 } }));
        server.clearFaults();
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected);
        expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
      }
    });
  });
});
