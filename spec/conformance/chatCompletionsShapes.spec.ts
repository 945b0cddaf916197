import {
  createResponseAccumulator,
  isParseError,
  isProviderStreamError,
  isStreamInterruptedError,
  streamChat$,
  type ChatResponse,
  type Chunk,
  type Provider,
} from '../../lib';
import { lmstudio } from '../../providers/lmstudio';
import { mistral } from '../../providers/mistral';
import { openai } from '../../providers/openai';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible';
import { perplexity } from '../../providers/perplexity';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { externalBody, externalFixtures } from '../support/externalFixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * Issue 17, the Chat Completions family: what the recordings lack, as record-shaped bodies (the
 * source of each shape is named where it is built), and the external recordings of APIs rxllm does
 * not read, by name. Each body is replayed whole over a loopback server and cut at 50 random byte
 * offsets in process, and must read the same way every time.
 */

type Outcome = { response: ChatResponse; chunks: Chunk[]; error?: unknown };

const json = (value: unknown) => JSON.stringify(value);
/** `data: …` events, LF-framed, as api.openai.com (and Mistral, llama.cpp) frame them */
const sse = (events: string[]) => Buffer.from(events.map((e) => (e.startsWith('error:') ? `${e}\n\n` : `data: ${e}\n\n`)).join(''));
/** CRLF-framed, no `[DONE]`, as api.perplexity.ai frames them (perplexity-*.txt) */
const sseCrlf = (events: string[]) => Buffer.from(events.map((e) => `data: ${e}\r\n\r\n`).join(''));

const chunkOf = (model: string) => (d: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  json({ id: 'chatcmpl-shape', object: 'chat.completion.chunk', created: 1_765_000_000, model, choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }], ...extra });

// ---- OpenAI: url_citation annotations on the finish chunk (openai-node ChatCompletionMessage.Annotation;
// vercel/ai test 'should stream annotations/citations'); offsets in characters, an emoji before the cited text
const search = chunkOf('gpt-4o-search-preview-2025-03-11');
const citedParts = ['Tokio 🦀 schedules tasks cooperatively ', '([tokio.rs](https://tokio.rs/tokio/tutorial?utm_source=openai)).\n\n', '```rust\n    tokio::spawn(async { 1 });\n```\n', '日本語のガイド ([zenn.dev](https://zenn.dev/tokio))'];
const citedText = citedParts.join('');
const chars = (s: string) => Array.from(s).length;
const charRange = (needle: string) => ({ start_index: chars(citedText.slice(0, citedText.indexOf(needle))), end_index: chars(citedText.slice(0, citedText.indexOf(needle))) + chars(needle) });
const link1 = '([tokio.rs](https://tokio.rs/tokio/tutorial?utm_source=openai))';
const link2 = '([zenn.dev](https://zenn.dev/tokio))';
const urlCitations = sse([
  search({ role: 'assistant', content: '', refusal: null, annotations: [] }),
  ...citedParts.map((content) => search({ content })),
  search(
    {
      annotations: [
        { type: 'url_citation', url_citation: { ...charRange(link1), title: 'Tutorial | Tokio', url: 'https://tokio.rs/tokio/tutorial?utm_source=openai' } },
        { type: 'url_citation', url_citation: { ...charRange(link2), title: 'Tokio入門', url: 'https://zenn.dev/tokio' } },
      ],
    },
    'stop',
  ),
  json({ id: 'chatcmpl-shape', object: 'chat.completion.chunk', created: 1_765_000_000, model: 'gpt-4o-search-preview-2025-03-11', choices: [], usage: { prompt_tokens: 12, completion_tokens: 61, total_tokens: 73 } }),
  '[DONE]',
]);

// ---- OpenAI: a custom tool call, its free-text input in pieces (openai-node ChatCompletionMessageCustomToolCall
// `custom: { name, input }`, streamed at `tool_calls[].custom.input` as function arguments are)
const gpt5 = chunkOf('gpt-5-2025-08-07');
const sqlPieces = ['SELECT city, COUNT(*)\n', '  FROM users\n', " WHERE name LIKE 'Zoë%'\n GROUP BY city;"];
const customTool = sse([
  gpt5({ role: 'assistant', content: null, refusal: null, tool_calls: [{ index: 0, id: 'call_sql_7Yk', type: 'custom', custom: { name: 'write_sql', input: '' } }] }),
  ...sqlPieces.map((input) => gpt5({ tool_calls: [{ index: 0, custom: { input } }] })),
  gpt5({}, 'tool_calls'),
  json({ id: 'chatcmpl-shape', object: 'chat.completion.chunk', created: 1_765_000_000, model: 'gpt-5-2025-08-07', choices: [], usage: { prompt_tokens: 80, completion_tokens: 30, total_tokens: 110, completion_tokens_details: { reasoning_tokens: 12 } } }),
  '[DONE]',
]);

// ---- OpenAI: an audio answer (gpt-4o-audio-preview; openai-node lib/ChatCompletionStream.js reads
// `delta.audio` id / data / transcript in pieces and an expires_at-only delta)
const audio = chunkOf('gpt-4o-audio-preview-2025-06-03');
const transcript = ['Sure! ', 'Three steps:\n', '1. Boil water\n2. Add 🍝\n3. Wait'];
const audioAnswer = sse([
  audio({ role: 'assistant', content: null, refusal: null, audio: { id: 'audio_68a1f0c2e4b08190', transcript: '' } }),
  ...transcript.map((t, i) => audio({ audio: { transcript: t, data: `UklGRiQAAABXQVZFZm10IBAAAAAB${i}` } })),
  audio({ audio: { expires_at: 1_765_003_600 } }),
  audio({}, 'stop'),
  '[DONE]',
]);

// ---- Mistral: the whole call in the finish chunk (mistral-tool-call.txt), the arguments an object
// (Mistral's published schema: `function.arguments: Dict[str, Any] | str`)
const mistralArgs = { location: 'Paris, Île-de-France', days: 3, units: { temperature: '°C' } };
const objectArguments = sse([
  json({ id: 'a3c1b2d4e5f60718293a4b5c6d7e8f90', object: 'chat.completion.chunk', created: 1_765_000_000, model: 'mistral-small-latest', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
  json({
    id: 'a3c1b2d4e5f60718293a4b5c6d7e8f90',
    object: 'chat.completion.chunk',
    created: 1_765_000_000,
    model: 'mistral-small-latest',
    choices: [{ index: 0, delta: { tool_calls: [{ id: 'g6fVbXS8K', type: 'function', function: { name: 'weather', arguments: mistralArgs }, index: 0 }] }, finish_reason: 'tool_calls' }],
    usage: { prompt_tokens: 88, total_tokens: 118, completion_tokens: 30 },
  }),
  '[DONE]',
]);

// ---- Perplexity stream_mode "concise" (docs.perplexity.ai stream-mode "Structure" examples; the step
// type from perplexity-node shared.ts ReasoningStep), with the usage perplexity-node types (reasoning_tokens, cost)
const pplx = { id: 'cfa38f9d-fdbc-4ac6-a5d2-a3010b6a33a6', model: 'sonar-reasoning-pro', created: 1_759_441_590 };
const result = { title: 'Rust async book', url: 'https://rust-lang.github.io/async-book/', date: '2025-11-02', snippet: 'Futures are lazy…', source: 'web' };
const reasoning = (thought: string, keywords: string[]) =>
  json({ ...pplx, object: 'chat.reasoning', type: 'message', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content: '', reasoning_steps: [{ thought, type: 'web_search', web_search: { search_keywords: keywords, search_results: [result] } }] } }] });
const answerPieces = ['Futures in Rust are **lazy**:', ' nothing runs until polled.[1]\n\n- `poll` → `Ready`', ' / `Pending` 🦀'];
const concise = sseCrlf([
  reasoning('Searching the web for how Rust futures run…', ['rust futures lazy']),
  reasoning('Reading the async book; 日本語の記事も確認', ['rust async book', 'Rust 非同期']),
  json({
    ...pplx,
    object: 'chat.reasoning.done',
    usage: { prompt_tokens: 14, completion_tokens: 0, total_tokens: 14, search_context_size: 'low' },
    search_results: [result],
    images: [],
    choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '', reasoning_steps: [] }, delta: { role: 'assistant', content: '' } }],
  }),
  ...answerPieces.map((content) => json({ ...pplx, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content } }] })),
  json({
    ...pplx,
    object: 'chat.completion.done',
    usage: {
      prompt_tokens: 14,
      completion_tokens: 412,
      total_tokens: 426,
      reasoning_tokens: 350,
      citation_tokens: 2100,
      num_search_queries: 2,
      search_context_size: 'low',
      cost: { input_tokens_cost: 0.00003, output_tokens_cost: 0.0033, reasoning_tokens_cost: 0.0028, request_cost: 0.006, total_cost: 0.01213 },
    },
    search_results: [result],
    citations: [result.url],
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: answerPieces.join('') }, delta: { role: 'assistant', content: '' } }],
  }),
]);

// ---- llama.cpp's server (tools/server: server_sent_event(sink, "error", format_error_response(…)),
// then `data: [DONE]`): a stream that fails after some text
const llama = chunkOf('qwen2.5-7b-instruct');
const llamaParts = ['def fib(n):\n', '    return n if n < 2 else fib(n - 1) + fib(n - 2)\n'];
const llamaError = sse([
  llama({ role: 'assistant', content: null }),
  ...llamaParts.map((content) => llama({ content })),
  'error: {"code":500,"message":"Failed to decode the batch: KV cache is full - try increasing it via the context size","type":"server_error"}',
  '[DONE]',
]);

interface Shape {
  provider: Provider<any>;
  body: Buffer;
  check(outcome: Outcome): void;
}

const SHAPES: Record<string, Shape> = {
  'OpenAI url_citation annotations → citations with the span they support (string indices)': {
    provider: openai,
    body: urlCitations,
    check({ response, error, chunks }) {
      expect(error).toBeUndefined();
      expect(response.content).toBe(citedText);
      const at1 = citedText.indexOf(link1);
      const at2 = citedText.indexOf(link2);
      expect(response.citations).toEqual([
        { url: 'https://tokio.rs/tokio/tutorial?utm_source=openai', title: 'Tutorial | Tokio', span: { start: at1, end: at1 + link1.length } },
        { url: 'https://zenn.dev/tokio', title: 'Tokio入門', span: { start: at2, end: at2 + link2.length } },
      ]);
      expect(chunks.filter((c) => c.citations).map((c) => c.finishReason)).toEqual(['stop']);
      expect(response.usage).toEqual({ inputTokens: 12, outputTokens: 61, totalTokens: 73 });
    },
  },
  'OpenAI custom tool call → its name and free-text input, marked custom': {
    provider: openai,
    body: customTool,
    check({ response, error }) {
      expect(error).toBeUndefined();
      expect(response.toolCalls).toEqual([{ index: 0, id: 'call_sql_7Yk', name: 'write_sql', arguments: sqlPieces.join(''), argumentsText: sqlPieces.join(''), custom: true }]);
      expect(response.finishReason).toBe('tool_calls');
      expect(response.usage?.reasoningTokens).toBe(12);
    },
  },
  'OpenAI audio answer → its transcript is the content, the audio id in metadata': {
    provider: openai,
    body: audioAnswer,
    check({ response, error }) {
      expect(error).toBeUndefined();
      expect(response.content).toBe(transcript.join(''));
      expect(response.metadata.audio).toEqual({ id: 'audio_68a1f0c2e4b08190', expiresAt: 1_765_003_600 });
      expect(JSON.stringify(response)).not.toContain('UklGR');
      expect(response.finishReason).toBe('stop');
    },
  },
  'Mistral tool call with an object as arguments → read as its JSON text': {
    provider: mistral,
    body: objectArguments,
    check({ response, error }) {
      expect(error).toBeUndefined();
      expect(response.toolCalls).toEqual([{ index: 0, id: 'g6fVbXS8K', name: 'weather', arguments: mistralArgs, argumentsText: JSON.stringify(mistralArgs) }]);
      expect(response.usage).toEqual({ inputTokens: 88, outputTokens: 30, totalTokens: 118 });
    },
  },
  'Perplexity concise mode → reasoning steps as reasoning, usage with reasoning tokens, the cost as metadata': {
    provider: perplexity,
    body: concise,
    check({ response, error, chunks }) {
      expect(error).toBeUndefined();
      expect(response.reasoning).toBe('Searching the web for how Rust futures run…\nReading the async book; 日本語の記事も確認\n');
      expect(response.content).toBe(answerPieces.join(''));
      expect(response.citations).toEqual([{ url: result.url, title: result.title, snippet: result.snippet, date: result.date }]);
      expect(response.usage).toEqual({ inputTokens: 14, outputTokens: 412, totalTokens: 426, reasoningTokens: 350 });
      const withUsage = chunks.filter((c) => c.usage);
      expect(withUsage).toHaveLength(1);
      expect(withUsage[0].metadata?.cost).toEqual({ total: 0.01213, input: 0.00003, output: 0.0033, reasoning: 0.0028, request: 0.006, currency: 'USD' });
      expect(withUsage[0].metadata?.searchUsage).toEqual({ citationTokens: 2100, searchQueries: 2, contextSize: 'low' });
      expect(chunks.filter((c) => c.metadata?.reasoningSteps)).toHaveLength(2);
    },
  },
  "llama.cpp server's `error:` line → ProviderStreamError with the server's message and the partial answer": {
    provider: createOpenAICompatibleProvider({ id: 'llama-server', baseURL: 'http://127.0.0.1:8080/v1' }),
    body: llamaError,
    check({ response, error }) {
      expect(isProviderStreamError(error)).toBe(true);
      expect((error as Error).message).toBe('llama-server stream error (server_error): Failed to decode the batch: KV cache is full - try increasing it via the context size');
      expect(error).toMatchObject({ errorType: 'server_error', code: 500 });
      expect(response.content).toBe(llamaParts.join(''));
      expect((error as { partial?: ChatResponse }).partial?.content).toBe(llamaParts.join(''));
    },
  },
  "LM Studio (llama.cpp engine) `error:` line → ProviderStreamError, also before any text": {
    provider: lmstudio,
    body: sse([llama({ role: 'assistant', content: null }), 'error: {"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}', '[DONE]']),
    check({ response, error }) {
      expect(isProviderStreamError(error)).toBe(true);
      expect(error).toMatchObject({ errorType: 'exceed_context_size_error', code: 400, retryable: false });
      expect((error as Error).message).toContain('the request exceeds the available context size');
      expect(response.content).toBe('');
    },
  },
};

describe('Chat Completions shapes of 2026 the recordings lack, whole and at random splits', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (provider: Provider<any>, body: Buffer, cuts: number[], over: 'http' | 'in process', options: Record<string, unknown> = {}): Promise<Outcome> => {
    (over === 'http' ? server : inProcess).respondWith({ body, cuts });
    const { chunks, error } = await collect(streamChat$(provider, [{ role: 'user', content: 'shape' }], { baseURL: server.url, apiKey: 'sk-test-shapes', ...options }));
    expect(chunks.findIndex((c, i) => c.seq !== i)).toBe(-1);
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    return { response: fold.snapshot(), chunks, error };
  };

  for (const [name, { provider, body, check }] of Object.entries(SHAPES)) {
    describe(name, () => {
      test('whole body', async () => {
        check(await run(provider, body, [], 'http'));
      });
      test('split at random byte offsets, 50 seeds', async () => {
        for (let seed = 1; seed <= 50; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const cuts = randomCuts(random, body.length, 1 + Math.floor(random() * 12));
          try {
            check(await run(provider, body, cuts, 'in process'));
          } catch (failure) {
            throw new Error(`seed ${seed}, cuts [${cuts.join(', ')}]: ${(failure as Error).message}`);
          }
        }
      });
    });
  }

  describe('Perplexity cost on a recorded stream (external ruby-llm-streaming-responses-perplexity-sonar-supports-streaming-responses-0)', () => {
    test('the last payload’s usage.cost is metadata.cost of the chunk with the usage', async () => {
      const fixture = externalFixtures('chat-completions').find((f) => f.name === 'ruby-llm-streaming-responses-perplexity-sonar-supports-streaming-responses-0')!;
      const body = externalBody(fixture);
      // the figure, read from the recorded bytes here: the last data event's usage.cost
      const events = body.toString('utf8').split(/\r?\n/).filter((line) => line.startsWith('data: {'));
      const cost = JSON.parse(events[events.length - 1].slice(6)).usage.cost;
      const { error, chunks } = await run(perplexity, body, [], 'http');
      expect(error).toBeUndefined();
      const withUsage = chunks.filter((c) => c.usage);
      expect(withUsage).toHaveLength(1);
      expect(withUsage[0].metadata?.cost).toEqual({ total: cost.total_cost, input: cost.input_tokens_cost, output: cost.output_tokens_cost, request: cost.request_cost, currency: 'USD' });
      expect(withUsage[0].metadata?.searchUsage).toEqual({ contextSize: 'low' });
    });
  });

  describe('streams of APIs rxllm does not read, sent to the chat decoder (external samples, by name)', () => {
    const SAMPLES: Array<[string, Provider<any>, RegExp]> = [
      ['unsupported-openai-custom-tool', openai, /unrecognized stream format: the first event has type "response\.created"/],
      ['unsupported-openai-completion-text', openai, /unrecognized stream format: the first event has object "text_completion"/],
      ['unsupported-lmstudio-tool-call', lmstudio, /unrecognized stream format: the first event has type "response\.created"/],
    ];
    const manifest = [...externalFixtures('OpenAI Responses API'), ...externalFixtures('OpenAI legacy Completions API'), ...externalFixtures('Open Responses API (LM Studio /v1/responses, OpenAI)')];

    test('the manifest has these samples', () => {
      expect(manifest.map((f) => f.name).sort()).toEqual(SAMPLES.map(([name]) => name).sort());
    });

    for (const [name, provider, message] of SAMPLES) {
      test(`${name}: ParseError "unrecognized stream format", no chunk, and no retry with recovery on`, async () => {
        const fixture = manifest.find((f) => f.name === name)!;
        const body = externalBody(fixture);
        const before = server.received.length;
        const { error, chunks } = await run(provider, body, [], 'http', { streamRecovery: true, recovery: { maxRetries: 2, delay: 1 } });
        expect(isParseError(error)).toBe(true);
        expect((error as Error).message).toMatch(message);
        expect(isStreamInterruptedError(error)).toBe(false);
        expect((error as { retryable: boolean }).retryable).toBe(false);
        expect(chunks).toEqual([]);
        expect(server.received.length - before).toBe(1);
        // and at random splits, the same
        for (let seed = 1; seed <= 10; seed++) {
          const random = seededRandom(seed * 7919 + body.length);
          const outcome = await run(provider, body, randomCuts(random, body.length, 1 + Math.floor(random() * 12)), 'in process');
          expect((outcome.error as Error).message).toMatch(message);
        }
      });
    }
  });
});
