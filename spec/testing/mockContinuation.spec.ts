import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';
import OpenAI from 'openai';
import { answerFor, continuationOf, mockBaseURL, promptOf, startMockServer, type MockMessage, type MockServer } from '../../testing';
import { answerHeader } from '../support/mockWire';
import { afterWhiteSpace, WHITESPACE_ANSWER } from '../support/whitespaceAnswers';

/** What rxllm's recovery sends after a partial answer (the instruction form). */
const CONTINUE = 'Continue your previous answer exactly where it stopped. Do not repeat anything you already wrote and add no preamble.';

describe('the mock model continues an interrupted answer', () => {
  const question: MockMessage[] = [{ role: 'user', content: 'Why do chat apps stream their answers?' }];
  const original = answerFor(question);

  test('prefill form: the rest of the text, from the first character the prefix lacks', () => {
    for (const cut of [0, 1, 17, original.text.length - 1, original.text.length]) {
      const rest = continuationOf([...question, { role: 'assistant', content: original.text.slice(0, cut) }]);
      expect(rest?.text).toBe(original.text.slice(cut));
    }
  });

  test('a prefill with its trailing white space trimmed gets that white space back first', () => {
    const cut = original.text.indexOf(' ', 20) + 1;
    const prefill = original.text.slice(0, cut).trimEnd();
    const rest = continuationOf([...question, { role: 'assistant', content: prefill }]);
    expect(rest?.text.startsWith(' ')).toBe(true);
    expect(prefill + rest?.text).toBe(original.text);
  });

  test('instruction form: an assistant prefix then a user message that starts with "Continue"', () => {
    const cut = 42;
    const messages = [...question, { role: 'assistant', content: original.text.slice(0, cut) }, { role: 'user', content: CONTINUE }];
    expect(answerFor(messages).text).toBe(original.text.slice(cut));
    expect(continuationOf(messages)).toEqual(answerFor(messages));
  });

  test('a continuation has no reasoning, the original finish reason, and counts the whole request as input', () => {
    const thinking = answerFor(question, { thinking: true });
    expect(thinking.reasoning).not.toBe('');
    const messages = [...question, { role: 'assistant', content: thinking.text.slice(0, 30) }, { role: 'user', content: CONTINUE }];
    const rest = answerFor(messages, { thinking: true });
    expect(rest.reasoning).toBe('');
    expect(rest.finishReason).toBe('stop');
    const words = (text: string) => (text.match(/\S+/g) ?? []).length;
    expect(rest.inputTokens).toBe(messages.reduce((n, m) => n + words(m.content) + 4, 0));
    expect(rest.inputTokens).toBeGreaterThan(thinking.inputTokens);
  });

  test('after the text, the continuation repeats the tool calls whole', () => {
    const tools = [{ name: 'get_weather', parameters: { properties: { city: { type: 'string' } } } }];
    const ask: MockMessage[] = [{ role: 'user', content: 'Use get_weather for Lyon' }];
    const call = answerFor(ask, { tools });
    expect(call.toolCalls).toHaveLength(1);
    const rest = answerFor([...ask, { role: 'assistant', content: '' }, { role: 'user', content: CONTINUE }], { tools });
    expect(rest).toMatchObject({ text: '', toolCalls: call.toolCalls, finishReason: 'tool_calls' });
  });

  test('a continuation of a continuation joins up too', () => {
    const first = original.text.slice(0, 25);
    const second = original.text.slice(25, 60);
    const messages = [
      ...question,
      { role: 'assistant', content: first },
      { role: 'user', content: CONTINUE },
      { role: 'assistant', content: second },
      { role: 'user', content: CONTINUE },
    ];
    expect(first + second + answerFor(messages).text).toBe(original.text);
    expect(promptOf(messages)).toBe(question[0].content);
  });

  test('an assistant turn that is not a prefix of the answer, or a user turn that does not ask to continue, is ordinary history', () => {
    const history = [...question, { role: 'assistant', content: 'Something else entirely.' }];
    expect(continuationOf(history)).toBeUndefined();
    expect(continuationOf([...history, { role: 'user', content: CONTINUE }])).toBeUndefined();
    const partial = [...question, { role: 'assistant', content: original.text.slice(0, 30) }];
    const followUp = [...partial, { role: 'user', content: 'And why not?' }];
    expect(continuationOf(followUp)).toBeUndefined();
    expect(answerFor(followUp).text).toBe(answerFor([{ role: 'user', content: 'And why not?' }]).text);
    expect(promptOf(followUp)).toBe('And why not?');
  });
});

/**
 * One API as its own client speaks it: `answer` streams the text answering `question`, or — given a
 * partial answer — continues it the way rxllm's recovery asks that API to (prefill for Anthropic up
 * to Claude 4.5, the instruction for the others).
 */
interface ApiClient {
  /** whether the partial is sent as a prefill (its trailing white space trimmed, as Anthropic demands) */
  prefill: boolean;
  answer(question: string, partial?: string): Promise<string>;
}

const HEADERS = { 'x-mock-sentences': '4' };

function chatMessages(question: string, partial?: string): OpenAI.ChatCompletionMessageParam[] {
  const messages: OpenAI.ChatCompletionMessageParam[] = [{ role: 'user', content: question }];
  if (partial !== undefined) messages.push({ role: 'assistant', content: partial }, { role: 'user', content: CONTINUE });
  return messages;
}

/** An API's client against `server`, sending `headers` with every request. */
type MakeClient = (server: MockServer, headers: Record<string, string>) => ApiClient;

function openaiStyle(baseURL: (server: MockServer) => string, model: string): MakeClient {
  return (server, headers) => ({
    prefill: false,
    async answer(question, partial) {
      const client = new OpenAI({ baseURL: baseURL(server), apiKey: 'sk-mock', defaultHeaders: headers, maxRetries: 0 });
      let text = '';
      for await (const chunk of await client.chat.completions.create({ model, messages: chatMessages(question, partial), stream: true })) {
        const content = chunk.choices[0]?.delta?.content;
        if (typeof content === 'string') text += content;
      }
      return text;
    },
  });
}

/** Anthropic's client on `model`: a prefill up to Claude 4.5, the instruction from 4.6 on (which refuses a prefill). */
function anthropicClient(model: string, prefill: boolean): MakeClient {
  return (server, headers) => ({
    prefill,
    async answer(question, partial) {
      const client = new Anthropic({ apiKey: 'sk-ant-mock', baseURL: server.url, maxRetries: 0, defaultHeaders: headers });
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: question }];
      if (partial !== undefined && prefill) messages.push({ role: 'assistant', content: partial.trimEnd() });
      if (partial !== undefined && !prefill) messages.push({ role: 'assistant', content: partial }, { role: 'user', content: CONTINUE });
      const final = await client.messages.stream({ model, max_tokens: 4096, messages }).finalMessage();
      return final.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    },
  });
}

const CLIENTS: Record<string, MakeClient> = {
  openai: openaiStyle((s) => mockBaseURL(s, 'openai'), 'gpt-4o-mini'),
  mistral: openaiStyle((s) => mockBaseURL(s, 'mistral'), 'mistral-small-latest'),
  perplexity: openaiStyle((s) => mockBaseURL(s, 'perplexity'), 'sonar'),
  'lmstudio (REST API)': openaiStyle((s) => `${s.url}/api/v0`, 'qwen/qwen3-4b'),
  'lmstudio (OpenAI-compatible)': openaiStyle((s) => `${mockBaseURL(s, 'lmstudio')}/v1`, 'qwen/qwen3-4b'),
  'anthropic (Claude 4.5: prefill)': anthropicClient('claude-haiku-4-5', true),
  'anthropic (Claude 4.6: instruction)': anthropicClient('claude-sonnet-4-6', false),
  gemini: (server, headers) => ({
    prefill: false,
    async answer(question, partial) {
      const sdk = new GoogleGenAI({ apiKey: 'AIza-mock', httpOptions: { baseUrl: server.url, headers, fetch: (input, init) => fetch(input, init) } });
      const contents = [{ role: 'user', parts: [{ text: question }] }];
      if (partial !== undefined) contents.push({ role: 'model', parts: [{ text: partial }] }, { role: 'user', parts: [{ text: CONTINUE }] });
      let text = '';
      for await (const chunk of await sdk.models.generateContentStream({ model: 'gemini-2.5-flash', contents })) text += chunk.text ?? '';
      return text;
    },
  }),
  ollama: (server, headers) => ({
    prefill: false,
    async answer(question, partial) {
      const client = new Ollama({ host: server.url, headers });
      const messages = [{ role: 'user', content: question }];
      if (partial !== undefined) messages.push({ role: 'assistant', content: partial }, { role: 'user', content: CONTINUE });
      let text = '';
      for await (const part of await client.chat({ model: 'llama3.2', messages, stream: true })) text += part.message.content;
      return text;
    },
  }),
};

/** Cut points in `text`: inside a word, after white space, at a sentence end, and the whole text. */
function cutPoints(text: string): Record<string, number> {
  const letter = (i: number) => /\p{L}/u.test(text[i] ?? '');
  let insideWord = 13;
  while (!(letter(insideWord - 1) && letter(insideWord))) insideWord++;
  const afterSpace = text.indexOf(' ', 30) + 1;
  const sentenceEnd = text.indexOf('. ') + 1;
  return { 'inside a word': insideWord, 'after white space': afterSpace, 'at a sentence end': sentenceEnd, 'the whole text': text.length };
}

describe.each(Object.entries(CLIENTS))('continuation on the wire: %s', (_, make) => {
  let server: MockServer;
  let client: ApiClient;
  const question = 'What changes when a chat answer streams?';
  let original: string;

  beforeAll(async () => {
    server = await startMockServer();
    client = make(server, HEADERS);
    original = await client.answer(question);
  });
  afterAll(() => server.close());

  test('the uninterrupted answer is the model answer', () => {
    expect(original).toBe(answerFor([{ role: 'user', content: question }], { sentences: 4 }).text);
    const cuts = cutPoints(original);
    expect(original[cuts['inside a word'] - 1]).toMatch(/\p{L}/u);
    expect(original[cuts['after white space'] - 1]).toBe(' ');
    expect(original[cuts['at a sentence end'] - 1]).toBe('.');
  });

  test.each(['inside a word', 'after white space', 'at a sentence end', 'the whole text'])('%s: the prefix sent plus the continuation is the original text', async (where) => {
    const cut = cutPoints(original)[where];
    const partial = original.slice(0, cut);
    const rest = await client.answer(question, partial);
    const sent = client.prefill ? partial.trimEnd() : partial;
    expect(sent + rest).toBe(original);
    if (where === 'the whole text') expect(rest).toBe('');
  });
});

describe.each(Object.entries(CLIENTS))('x-mock-answer through the official client: %s', (_, make) => {
  let server: MockServer;
  let client: ApiClient;
  const text = WHITESPACE_ANSWER;
  beforeAll(async () => {
    server = await startMockServer();
    client = make(server, answerHeader(text));
  });
  afterAll(() => server.close());

  test('the answer is exactly the text: indentation, tables, blank lines, tabs, trailing spaces, emoji and CJK', async () => {
    expect(await client.answer('Show me the plan.')).toBe(text);
  });

  test('broken right after white space and continued, it joins into the text byte for byte', async () => {
    const points = afterWhiteSpace(text);
    // a spread of the points: the first, a third of the way, halfway, the last two (the very end)
    for (const cut of [points[0], points[Math.floor(points.length / 3)], points[Math.floor(points.length / 2)], points[points.length - 2], points[points.length - 1]]) {
      const partial = text.slice(0, cut);
      const rest = await client.answer('Show me the plan.', partial);
      const sent = client.prefill ? partial.trimEnd() : partial;
      expect({ cut, joined: sent + rest }).toEqual({ cut, joined: text });
    }
  });
});

const PREFILL_REFUSED = 'This model does not support assistant message prefill. The conversation must end with a user message.';

describe('Anthropic prefill rules', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const question = [{ role: 'user', content: 'Why do chat apps stream?' }];
  const text = answerFor(question).text;
  const send = (model: string, messages: unknown[], extra: Record<string, unknown> = {}) =>
    fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model, max_tokens: 4096, stream: true, messages, ...extra }),
    });
  const streamedText = (body: string) => [...body.matchAll(/"type":"text_delta","text":("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]) as string).join('');

  test.each(['claude-sonnet-4-6', 'claude-opus-4-6-20260205', 'claude-opus-4-7', 'claude-haiku-4-6', 'claude-sonnet-5', 'claude-opus-5-1-20270101'])(
    '%s refuses a prefill with the API’s 400, however clean the prefill',
    async (model) => {
      const response = await send(model, [...question, { role: 'assistant', content: text.slice(0, 20).trimEnd() }]);
      expect(response.status).toBe(400);
      const body = await response.json();
      expect(body).toEqual({ type: 'error', error: { type: 'invalid_request_error', message: PREFILL_REFUSED }, request_id: expect.stringMatching(/^req_/) });
      expect(Object.keys(body)).toEqual(['type', 'error', 'request_id']);
    },
  );

  test('Claude 4.6 takes the same partial answer as an assistant turn followed by a user turn, and continues it', async () => {
    const response = await send('claude-sonnet-4-6', [...question, { role: 'assistant', content: text.slice(0, 20) }, { role: 'user', content: CONTINUE }]);
    expect(response.status).toBe(200);
    expect(text.slice(0, 20) + streamedText(await response.text())).toBe(text);
  });

  test.each(['claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'claude-opus-4-1', 'claude-sonnet-4-20250514', 'claude-3-7-sonnet-latest', 'claude-3-5-sonnet-20241022', 'mock-model'])(
    '%s takes a prefill and continues it',
    async (model) => {
      const prefill = text.slice(0, 20).trimEnd();
      const response = await send(model, [...question, { role: 'assistant', content: prefill }]);
      expect(response.status).toBe(200);
      expect(prefill + streamedText(await response.text())).toBe(text);
    },
  );

  test('a prefill that ends in white space is refused with the API’s 400', async () => {
    const response = await send('claude-sonnet-4-5', [
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: [{ type: 'text', text: 'Streaming lets ' }] },
    ]);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'messages: final assistant content cannot end with trailing whitespace' },
    });
  });

  test('a thinking request continued by prefill streams no thinking block', async () => {
    const thinker = [{ role: 'user', content: 'Think about streaming.' }];
    const whole = answerFor(thinker).text;
    const response = await send('claude-sonnet-4-5', [...thinker, { role: 'assistant', content: whole.slice(0, 20) }], { thinking: { type: 'enabled', budget_tokens: 1024 } });
    const body = await response.text();
    expect(body).not.toContain('thinking_delta');
    expect(whole.slice(0, 20) + streamedText(body)).toBe(whole);
  });
});
