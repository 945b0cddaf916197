import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { MockFault, MockServer } from '../../testing';

/** One wire frame of a body, as a client on the wire sees it. */
export interface Frame {
  raw: string;
  /** the SSE `event:` name */
  event?: string;
  /** the SSE `data:` payload, or the NDJSON line */
  data?: string;
  /** the payload parsed; `undefined` when it is not JSON (`[DONE]`, a comment, a broken frame) */
  json?: any;
}

/**
 * One API as the tests speak it on the wire, raw: where to send a streaming request, how to tell
 * its frames apart and read the answer's text from them, written from the API's own documentation
 * (not from the mock's code).
 */
export interface Wire {
  path: string;
  headers?: Record<string, string>;
  body(prompt: string): Record<string, unknown>;
  /** the same request, asking the model to think too (absent where the API has no reasoning) */
  thinkingBody?(prompt: string): Record<string, unknown>;
  framing: 'sse' | 'ndjson';
  /** a frame that carries the answer and no finish reason */
  isContent(frame: Frame): boolean;
  /** a frame with the finish reason, the usage or the terminator */
  isTerminal(frame: Frame): boolean;
  /** the API's error event inside a 200 stream */
  isErrorFrame(frame: Frame): boolean;
  /** the answer's text, as a client joins it from the frames (reasoning apart) */
  textOf(frames: Frame[]): string;
  /** what its HTTP error bodies look like: a 429 with `retry-after: 1`, and a 5xx */
  rateLimited: unknown;
  serverError: { status: number; body: unknown };
  /** its 400 body for a request it cannot take, saying `message` */
  invalidRequest(message: string): unknown;
}

const messages = (prompt: string) => [{ role: 'user', content: prompt }];
const openaiError = (frame: Frame) => frame.json?.error?.type === 'server_error';
const chatChoice = (frame: Frame) => frame.json?.choices?.[0];
const chatContent = (frame: Frame) => {
  const delta = chatChoice(frame)?.delta;
  return chatChoice(frame)?.finish_reason == null && (Boolean(delta?.content) || Boolean(delta?.reasoning_content) || delta?.tool_calls !== undefined);
};
const chatTerminal = (frame: Frame) => frame.data === '[DONE]' || chatChoice(frame)?.finish_reason != null || (frame.json?.choices?.length === 0 && frame.json?.usage !== undefined);
/** `delta.content` when it is a string (Mistral's thinking comes as an array of parts) */
const chatText = (frames: Frame[]) => frames.map((f) => chatChoice(f)?.delta?.content).filter((c): c is string => typeof c === 'string').join('');
const openaiInvalid = (message: string) => ({ error: { message, type: 'invalid_request_error', param: null, code: null } });

const openaiStyle = (model: string, path = '/v1/chat/completions'): Wire => ({
  path,
  body: (prompt) => ({ model, messages: messages(prompt), stream: true, stream_options: { include_usage: true } }),
  framing: 'sse',
  isContent: chatContent,
  isTerminal: chatTerminal,
  isErrorFrame: openaiError,
  textOf: chatText,
  rateLimited: { error: { type: 'requests', code: 'rate_limit_exceeded', message: expect.any(String) } },
  serverError: { status: 500, body: { error: { type: 'server_error', message: expect.any(String) } } },
  invalidRequest: openaiInvalid,
});

/** Every streaming endpoint of the mock server, by the API it speaks. */
export const WIRES: Record<string, Wire> = {
  openai: openaiStyle('gpt-4o-mini'),
  mistral: {
    path: '/v1/chat/completions',
    body: (prompt) => ({ model: 'mistral-small-latest', messages: messages(prompt), stream: true }),
    thinkingBody: (prompt) => ({ model: 'magistral-medium-latest', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: chatContent,
    isTerminal: chatTerminal,
    isErrorFrame: openaiError,
    textOf: chatText,
    rateLimited: { object: 'error', message: 'Rate limit exceeded', type: 'rate_limited', code: '1300' },
    serverError: { status: 503, body: { object: 'error', message: expect.any(String) } },
    invalidRequest: (message) => ({ object: 'error', message, type: 'invalid_request_error', param: null, code: null }),
  },
  perplexity: {
    path: '/chat/completions',
    body: (prompt) => ({ model: 'sonar', messages: messages(prompt), stream: true }),
    thinkingBody: (prompt) => ({ model: 'sonar-reasoning-pro', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: (frame) => frame.json?.object === 'chat.completion.chunk',
    isTerminal: (frame) => frame.json?.object === 'chat.completion.done',
    isErrorFrame: openaiError,
    // a reasoning model's content starts with its `<think>…</think>` block, which a client strips
    textOf: (frames) => chatText(frames).replace(/^<think>[\s\S]*?<\/think>\n\n/, ''),
    rateLimited: { error: { code: 429, message: expect.any(String) } },
    serverError: { status: 500, body: { error: { code: 500, message: expect.any(String) } } },
    invalidRequest: (message) => ({ error: { message, type: 'bad_request', code: 400 } }),
  },
  // LM Studio's native REST v1 (lmstudio.ai/docs/developer/rest/chat and /rest/streaming-events): named
  // events, `message.delta` / `reasoning.delta` carry the answer, `chat.end` ends it, no [DONE]
  'lmstudio-v1': {
    path: '/api/v1/chat',
    body: (prompt) => ({ model: 'qwen/qwen3-4b', input: prompt, stream: true }),
    thinkingBody: (prompt) => ({ model: 'qwen/qwen3-4b', input: prompt, stream: true, reasoning: 'on' }),
    framing: 'sse',
    isContent: (frame) => (frame.event === 'message.delta' || frame.event === 'reasoning.delta') && Boolean(frame.json?.content),
    // the end of the answer's message and chat.end, after which nothing of the answer comes
    isTerminal: (frame) => frame.event === 'chat.end' || frame.event === 'message.end',
    isErrorFrame: (frame) => frame.event === 'error' && typeof frame.json?.error?.message === 'string',
    textOf: (frames) => frames.filter((f) => f.event === 'message.delta').map((f) => f.json?.content ?? '').join(''),
    rateLimited: { error: { type: expect.any(String), message: expect.any(String) } },
    serverError: { status: 503, body: { error: { type: expect.any(String), message: expect.any(String) } } },
    invalidRequest: (message) => ({ error: { type: 'invalid_request', message } }),
  },
  lmstudio: {
    path: '/api/v0/chat/completions',
    body: (prompt) => ({ model: 'qwen/qwen3-4b', messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: chatContent,
    isTerminal: chatTerminal,
    isErrorFrame: openaiError,
    textOf: chatText,
    rateLimited: { error: expect.any(String) },
    serverError: { status: 503, body: { error: expect.any(String) } },
    invalidRequest: (message) => ({ error: message }),
  },
  'lmstudio (OpenAI-compatible)': openaiStyle('qwen/qwen3-4b'),
  anthropic: {
    path: '/v1/messages',
    headers: { 'anthropic-version': '2023-06-01' },
    body: (prompt) => ({ model: 'claude-sonnet-4-6', max_tokens: 4096, messages: messages(prompt), stream: true }),
    thinkingBody: (prompt) => ({ model: 'claude-sonnet-4-6', max_tokens: 4096, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: messages(prompt), stream: true }),
    framing: 'sse',
    isContent: (frame) => frame.event === 'content_block_delta',
    isTerminal: (frame) => frame.event === 'message_delta' || frame.event === 'message_stop',
    isErrorFrame: (frame) => frame.event === 'error' && frame.json?.type === 'error' && frame.json?.error?.type === 'overloaded_error',
    textOf: (frames) => frames.map((f) => (f.json?.delta?.type === 'text_delta' ? (f.json.delta.text as string) : '')).join(''),
    rateLimited: { type: 'error', error: { type: 'rate_limit_error', message: expect.any(String) } },
    serverError: { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } },
    invalidRequest: (message) => ({ type: 'error', error: { type: 'invalid_request_error', message }, request_id: expect.stringMatching(/^req_/) }),
  },
  gemini: {
    path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse',
    body: (prompt) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }] }),
    thinkingBody: (prompt) => ({ contents: [{ role: 'user', parts: [{ text: prompt }] }], generationConfig: { thinkingConfig: { includeThoughts: true } } }),
    framing: 'sse',
    isContent: (frame) => frame.json?.candidates?.[0] !== undefined && frame.json.candidates[0].finishReason === undefined,
    isTerminal: (frame) => frame.json?.candidates?.[0]?.finishReason !== undefined,
    isErrorFrame: (frame) => frame.json?.error?.code === 503 && frame.json?.error?.status === 'UNAVAILABLE',
    textOf: (frames) =>
      frames
        .flatMap((f) => (f.json?.candidates?.[0]?.content?.parts ?? []) as Array<{ text?: unknown; thought?: unknown }>)
        .map((part) => (typeof part.text === 'string' && part.thought !== true ? part.text : ''))
        .join(''),
    rateLimited: {
      error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.any(String), details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '1s' }] },
    },
    serverError: { status: 503, body: { error: { code: 503, status: 'UNAVAILABLE', message: expect.any(String) } } },
    invalidRequest: (message) => ({ error: { code: 400, status: 'INVALID_ARGUMENT', message } }),
  },
  ollama: {
    path: '/api/chat',
    body: (prompt) => ({ model: 'llama3.2', messages: messages(prompt), stream: true }),
    thinkingBody: (prompt) => ({ model: 'llama3.2', messages: messages(prompt), stream: true, think: true }),
    framing: 'ndjson',
    isContent: (frame) => frame.json?.done === false,
    isTerminal: (frame) => frame.json?.done === true,
    isErrorFrame: (frame) => typeof frame.json?.error === 'string',
    textOf: (frames) => frames.map((f) => (typeof f.json?.message?.content === 'string' ? (f.json.message.content as string) : '')).join(''),
    rateLimited: { error: 'rate limit exceeded' },
    serverError: { status: 500, body: { error: expect.any(String) } },
    invalidRequest: (message) => ({ error: message }),
  },
};

/** The frames of a body: SSE events (up to their blank line) or NDJSON lines, each with its raw text. */
export function framesOf(body: string, framing: Wire['framing']): Frame[] {
  const raws = body.split(framing === 'sse' ? /(?<=\r\n\r\n|\n\n)/ : /(?<=\n)/).filter((raw) => raw !== '');
  return raws.map((raw) => {
    const frame: Frame = { raw };
    if (framing === 'ndjson') frame.data = raw.trimEnd();
    else {
      for (const line of raw.split(/\r?\n/)) {
        if (line.startsWith('event:')) frame.event = line.slice(6).trim();
        if (line.startsWith('data:')) frame.data = line.slice(5).trimStart();
      }
    }
    try {
      frame.json = frame.data === undefined ? undefined : JSON.parse(frame.data);
    } catch {
      frame.json = undefined;
    }
    return frame;
  });
}

/** What a raw HTTP exchange gave: the head (if any), the body bytes with their arrival times, and how it ended. */
export interface Exchange {
  status?: number;
  headers?: IncomingHttpHeaders;
  body: Buffer;
  arrivals: Array<{ at: number; bytes: number }>;
  /** when the request was sent (`performance.now()`) */
  sentAt: number;
  /** true when the body ended normally */
  complete: boolean;
  error?: NodeJS.ErrnoException;
}

/** How `exchange` sends a request beyond the wire's defaults. */
export interface ExchangeOptions {
  /** sent as the `x-mock-fault` header */
  fault?: MockFault | null;
  signal?: AbortSignal;
  /** added to the default headers (`x-mock-sentences: 5` and the wire's) */
  headers?: Record<string, string>;
  /** the request body, instead of `wire.body(prompt)` */
  body?: Record<string, unknown>;
}

/** Sends a request over its own connection with node:http and records everything that comes back. */
export function exchange(server: MockServer, wire: Wire, prompt: string, options: ExchangeOptions = {}): Promise<Exchange> {
  const payload = JSON.stringify(options.body ?? wire.body(prompt));
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-mock-sentences': '5', ...wire.headers, ...options.headers };
  if (options.fault !== undefined) headers['x-mock-fault'] = JSON.stringify(options.fault);
  return new Promise<Exchange>((resolve) => {
    const result: Exchange = { body: Buffer.alloc(0), arrivals: [], complete: false, sentAt: performance.now() };
    const parts: Buffer[] = [];
    const finish = () => resolve({ ...result, body: Buffer.concat(parts) });
    const req = httpRequest(`${server.url}${wire.path}`, { method: 'POST', headers, agent: false, signal: options.signal }, (res) => {
      result.status = res.statusCode;
      result.headers = res.headers;
      res.on('data', (part: Buffer) => {
        parts.push(part);
        result.arrivals.push({ at: performance.now(), bytes: part.length });
      });
      res.on('end', () => (result.complete = res.complete));
      res.on('error', (error) => (result.error = error));
      res.on('close', finish);
    });
    req.on('error', (error) => {
      result.error = error;
      if (result.status === undefined) finish();
    });
    req.end(payload);
  });
}

/** The frames of an exchange's body, in its wire's framing. */
export const framesOfExchange = (wire: Wire, got: Exchange): Frame[] => framesOf(got.body.toString('utf8'), wire.framing);

/** The `x-mock-answer` header that makes the mock model answer exactly `text`. */
export const answerHeader = (text: string): Record<string, string> => ({ 'x-mock-answer': Buffer.from(text, 'utf8').toString('base64') });
