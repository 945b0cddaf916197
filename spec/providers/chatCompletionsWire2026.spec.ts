import { from, lastValueFrom, toArray } from 'rxjs';
import { createResponseAccumulator, isParseError, isProviderStreamError, type Chunk, type Provider } from '../../lib';
import { providerErrorInText } from '../../lib/providerErrorInText';
import type { WireEvent } from '../../lib/transport/sseFraming';
import { lmstudio } from '../../providers/lmstudio';
import { mistral } from '../../providers/mistral';
import { highlightFunctionCalls, openai, type FunctionCallHighlight } from '../../providers/openai';
import { createOpenAICompatibleProvider } from '../../providers/openai-compatible';
import { perplexity } from '../../providers/perplexity';

/**
 * Issue 17, the Chat Completions family: what the APIs stream at the end of 2026 that the shared
 * decoder read wrongly or not at all (wire/UPDATES-2026.md, "OpenAI Chat Completions"), one
 * payload shape at a time, fed to each provider's decoder as the transport hands events to it.
 */

type Event = string | WireEvent;

/** Feeds events to a fresh decoder of `provider`; the chunks, the fold, and the error if one was thrown. */
function decode(provider: Provider<any>, events: Event[]) {
  const chunks: Chunk[] = [];
  const decoder = provider.createDecoder({ provider: provider.id, emit: (chunk) => chunks.push(chunk) });
  let error: unknown;
  try {
    for (const event of events) {
      decoder.onEvent(typeof event === 'string' ? { data: event } : event);
      if (decoder.done) break;
    }
    if (!decoder.done) decoder.onEnd();
  } catch (thrown) {
    error = thrown;
  }
  const fold = createResponseAccumulator();
  for (const chunk of chunks) fold.add(chunk);
  return { chunks, error, response: fold.snapshot() };
}

const json = (value: unknown) => JSON.stringify(value);
/** one chat.completion.chunk of choice 0 */
const delta = (d: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
  json({ id: 'chatcmpl-w26', object: 'chat.completion.chunk', created: 1_765_000_000, model: 'gpt-4o-2024-08-06', choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }], ...extra });

describe('tool call arguments sent as a JSON object (Mistral schema: `function.arguments: Dict | str`)', () => {
  const args = { city: 'Zürich', days: [1, 2], units: { temperature: '°C' } };
  // the whole call in the finish chunk, with usage, as mistral-tool-call.txt sends it, but the arguments an object
  const events = [
    json({ id: 'a1b2', object: 'chat.completion.chunk', created: 1, model: 'mistral-small-latest', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] }),
    json({
      id: 'a1b2',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'mistral-small-latest',
      choices: [{ index: 0, delta: { tool_calls: [{ id: 'g6fVbXS8K', type: 'function', function: { name: 'weather', arguments: args }, index: 0 }] }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 90, total_tokens: 120, completion_tokens: 30 },
    }),
    '[DONE]',
  ];

  test('the object becomes its JSON text and the call is read as usual', () => {
    const { error, response } = decode(mistral, events);
    expect(error).toBeUndefined();
    expect(response.toolCalls).toEqual([{ index: 0, id: 'g6fVbXS8K', name: 'weather', arguments: args, argumentsText: JSON.stringify(args) }]);
    expect(response.finishReason).toBe('tool_calls');
  });

  test('a string still streams in pieces, as before', () => {
    const pieces = ['{"city":', '"Zürich"}'];
    const { response } = decode(mistral, [
      ...pieces.map((arguments_, i) => delta({ tool_calls: [{ index: 0, ...(i === 0 ? { id: 'x1', type: 'function' } : {}), function: { ...(i === 0 ? { name: 'weather' } : {}), arguments: arguments_ } }] })),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
    expect(response.toolCalls[0]).toMatchObject({ name: 'weather', arguments: { city: 'Zürich' }, argumentsText: '{"city":"Zürich"}' });
  });
});

describe('OpenAI url_citation annotations (search models; they come late, on the finish chunk)', () => {
  // text with an astral character (🦀: one character for the API, two string indices) before the
  // cited parts, CJK, a list and indented code
  const parts = ['Rust 🦀 streams are lazy ', '([docs.rs](https://docs.rs/futures/)).\n\n', '- 東京: 晴れ ([tenki.jp](https://tenki.jp/))\n', '    let x = 1;\n'];
  const text = parts.join('');
  const chars = Array.from(text);
  /** the API's offsets: characters (code points) */
  const charOffset = (needle: string) => Array.from(text.slice(0, text.indexOf(needle))).length;
  const cite = (needle: string, url: string, title: string) => ({
    type: 'url_citation',
    url_citation: { end_index: charOffset(needle) + Array.from(needle).length, start_index: charOffset(needle), title, url },
  });
  const first = '([docs.rs](https://docs.rs/futures/))';
  const second = '([tenki.jp](https://tenki.jp/))';
  const annotations = [cite(first, 'https://docs.rs/futures/', 'futures - Rust'), cite(second, 'https://tenki.jp/', '天気予報'), { type: 'file_citation', file_citation: { file_id: 'f1' } }];
  const events = [
    delta({ role: 'assistant', content: '', refusal: null, annotations: [] }),
    ...parts.map((content) => delta({ content })),
    delta({ annotations }, 'stop'),
    json({ id: 'chatcmpl-w26', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-search-preview', choices: [], usage: { prompt_tokens: 9, completion_tokens: 40, total_tokens: 49 } }),
    '[DONE]',
  ];

  test('become citations with url, title and the span of the answer, in string indices', () => {
    expect(chars.length).toBeLessThan(text.length); // the offsets differ in the two units
    const { error, response } = decode(openai, events);
    expect(error).toBeUndefined();
    expect(response.content).toBe(text);
    const start1 = text.indexOf(first);
    const start2 = text.indexOf(second);
    expect(response.citations).toEqual([
      { url: 'https://docs.rs/futures/', title: 'futures - Rust', span: { start: start1, end: start1 + first.length } },
      { url: 'https://tenki.jp/', title: '天気予報', span: { start: start2, end: start2 + second.length } },
    ]);
    for (const citation of response.citations) expect(response.content.slice(citation.span!.start, citation.span!.end)).toMatch(/^\(\[.*\]\(https:\/\/.*\)\)$/);
  });

  test('are on the finish chunk that carried them; other annotation types are ignored', () => {
    const { chunks } = decode(openai, events);
    const cited = chunks.filter((c) => c.citations);
    expect(cited).toHaveLength(1);
    expect(cited[0].finishReason).toBe('stop');
    expect(cited[0].citations).toHaveLength(2);
  });
});

describe('OpenAI custom tool calls (`type: "custom"`, `custom: { name, input }`, free-text input)', () => {
  const input = ["SELECT name, city\n", "  FROM users\n WHERE city = 'Zürich' -- 🙂\n", ' LIMIT {}'];
  const events = [
    delta({ role: 'assistant', content: null, refusal: null, tool_calls: [{ index: 0, id: 'call_sql1', type: 'custom', custom: { name: 'write_sql', input: '' } }] }),
    ...input.map((piece) => delta({ tool_calls: [{ index: 0, custom: { input: piece } }] })),
    delta({ tool_calls: [{ index: 1, id: 'call_w2', type: 'function', function: { name: 'weather', arguments: '{"city":"Bern"}' } }] }),
    delta({}, 'tool_calls'),
    '[DONE]',
  ];

  test('keep their name and input, marked custom, the input never parsed as JSON', () => {
    const { error, response } = decode(openai, events);
    expect(error).toBeUndefined();
    expect(response.toolCalls).toEqual([
      { index: 0, id: 'call_sql1', name: 'write_sql', arguments: input.join(''), argumentsText: input.join(''), custom: true },
      { index: 1, id: 'call_w2', name: 'weather', arguments: { city: 'Bern' }, argumentsText: '{"city":"Bern"}' },
    ]);
  });

  test('every fragment of a custom call is marked, so that a fold or a buffer keeps the mark', () => {
    const { chunks } = decode(openai, events);
    const fragments = chunks.flatMap((c) => c.toolCalls ?? []).filter((d) => d.index === 0);
    expect(fragments.length).toBe(4);
    expect(fragments.every((d) => d.custom === true)).toBe(true);
  });

  test('highlightFunctionCalls announces it with its input as the arguments, not as invalid JSON', async () => {
    const { chunks } = decode(openai, events);
    const out = await lastValueFrom(from(chunks).pipe(highlightFunctionCalls({ render: true }), toArray()));
    const highlights = out.map((c) => c.metadata?.functionCall as FunctionCallHighlight | undefined).filter((h) => h !== undefined);
    expect(highlights[0]).toEqual({ index: 0, id: 'call_sql1', name: 'write_sql', custom: true, arguments: input.join(''), rendering: `write_sql(${JSON.stringify(input.join(''))})` });
    expect(highlights[1]).toMatchObject({ index: 1, name: 'weather', arguments: { city: 'Bern' } });
  });

  test('sent back in the next turn as a custom call with its input (the conversation goes on)', () => {
    const { response } = decode(openai, events);
    const toolCalls = response.toolCalls.map(({ id, name, arguments: args, custom }) => ({ id: id!, name: name!, arguments: args, ...(custom ? { custom } : {}) }));
    const request = openai.buildRequest(
      [
        { role: 'user', content: 'Users in Zürich?' },
        { role: 'assistant', content: null, toolCalls },
        { role: 'tool', content: '3 rows', toolCallId: 'call_sql1' },
      ],
      { model: 'gpt-5', baseURL: 'https://api.openai.com/v1' } as never,
    );
    const sent = (request.body as { messages: Array<{ tool_calls?: unknown[] }> }).messages[1].tool_calls;
    expect(sent).toEqual([
      { id: 'call_sql1', type: 'custom', custom: { name: 'write_sql', input: input.join('') } },
      { id: 'call_w2', type: 'function', function: { name: 'weather', arguments: '{"city":"Bern"}' } },
    ]);
  });

  test('an input that happens to be JSON stays text', () => {
    const { response } = decode(openai, [delta({ tool_calls: [{ index: 0, id: 'c', type: 'custom', custom: { name: 'echo', input: '{"a":1}' } }] }), delta({}, 'tool_calls'), '[DONE]']);
    expect(response.toolCalls[0]).toMatchObject({ arguments: '{"a":1}', argumentsText: '{"a":1}', custom: true });
  });
});

describe('OpenAI audio answers (`delta.audio { id, data, transcript, expires_at }`)', () => {
  // as the openai package's ChatCompletionStream accumulates them (lib/ChatCompletionStream.js: id,
  // data and transcript in pieces, an expires_at-only delta at the end)
  const transcript = ['Hello! ', 'Here is a list:\n', '1. 東京\n2. 🦀'];
  const events = [
    delta({ role: 'assistant', content: null, refusal: null, audio: { id: 'audio_6811a2b3c4', transcript: '' } }),
    ...transcript.map((piece, i) => delta({ audio: { transcript: piece, data: `UklGR${i}AAAA` } })),
    delta({ audio: { expires_at: 1_765_003_600 } }),
    delta({}, 'stop'),
    '[DONE]',
  ];

  test('the transcript is the text; the id and expiry go to metadata.audio, the audio data is not kept', () => {
    const { error, response, chunks } = decode(openai, events);
    expect(error).toBeUndefined();
    expect(response.content).toBe(transcript.join(''));
    expect(response.metadata.audio).toEqual({ id: 'audio_6811a2b3c4', expiresAt: 1_765_003_600 });
    expect(chunks.find((c) => c.metadata?.audio)?.metadata?.audio).toEqual({ id: 'audio_6811a2b3c4' });
    expect(JSON.stringify(chunks)).not.toContain('UklGR');
  });
});

describe('Perplexity usage: reasoning tokens, cost and search counts', () => {
  const usage = (completion: number, cost: Record<string, number>) => ({
    prompt_tokens: 45,
    completion_tokens: completion,
    total_tokens: 45 + completion,
    reasoning_tokens: 300,
    citation_tokens: 1200,
    num_search_queries: 2,
    search_context_size: 'low',
    cost,
  });
  // sonar-reasoning-pro's usage as the official SDK types it (perplexity-node UsageInfo / Cost): a
  // running total in every payload, `request_cost` only at the end
  const payload = (object: string, content: string, u: unknown, finish?: string) =>
    json({ id: 'aced166e', model: 'sonar-reasoning-pro', created: 1, usage: u, citations: ['https://a.example'], object, choices: [{ index: 0, delta: { role: 'assistant', content }, ...(finish ? { finish_reason: finish } : {}) }] });
  const events = [
    payload('chat.completion.chunk', 'Ruby ', usage(1, { input_tokens_cost: 0.00009, output_tokens_cost: 0.00001, total_cost: 0.0001 })),
    payload('chat.completion.chunk', 'is fun.[1]', usage(5, { input_tokens_cost: 0.00009, output_tokens_cost: 0.00004, total_cost: 0.00013 })),
    payload('chat.completion.done', '', usage(5, { input_tokens_cost: 0.00009, output_tokens_cost: 0.00004, request_cost: 0.006, reasoning_tokens_cost: 0.0024, total_cost: 0.00853 }), 'stop'),
  ];

  test('reasoning_tokens at the top of usage → usage.reasoningTokens', () => {
    const { response } = decode(perplexity, events);
    expect(response.usage).toEqual({ inputTokens: 45, outputTokens: 5, totalTokens: 50, reasoningTokens: 300 });
  });

  test('the final cost, in USD, and the search counts are metadata of the one chunk with the usage', () => {
    const { chunks, response } = decode(perplexity, events);
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(withUsage[0].metadata?.cost).toEqual({ total: 0.00853, input: 0.00009, output: 0.00004, request: 0.006, reasoning: 0.0024, currency: 'USD' });
    expect(withUsage[0].metadata?.searchUsage).toEqual({ citationTokens: 1200, searchQueries: 2, contextSize: 'low' });
    expect(chunks.filter((c) => c.metadata?.cost)).toHaveLength(1);
    expect(response.metadata.cost).toEqual(withUsage[0].metadata?.cost);
  });
});

describe('Perplexity stream_mode "concise": chat.reasoning chunks with reasoning_steps', () => {
  // the four chunk objects of docs.perplexity.ai/docs/sonar/pro-search/stream-mode ("Structure"
  // examples): chat.reasoning, chat.reasoning.done, chat.completion.chunk, chat.completion.done
  const step = (thought: string, keywords: string[]) => ({
    thought,
    type: 'web_search',
    web_search: { search_keywords: keywords, search_results: [{ title: 'Seattle forecast', url: 'https://weather.example/seattle', date: '2026-05-26', snippet: 'Mostly cloudy, 61°F' }] },
  });
  const base = { id: 'cfa38f9d', model: 'sonar-pro', created: 1_759_441_590 };
  const events = [
    json({ ...base, object: 'chat.reasoning', type: 'message', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content: '', reasoning_steps: [step("Searching the web for Seattle's current weather...", ['Seattle current weather'])] } }] }),
    json({ ...base, object: 'chat.reasoning', type: 'message', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content: '', reasoning_steps: [step('Comparing the 7-day forecasts…', ['Seattle 7 day forecast', 'シアトル 天気'])] } }] }),
    json({
      ...base,
      object: 'chat.reasoning.done',
      usage: { prompt_tokens: 6, completion_tokens: 0, total_tokens: 6, search_context_size: 'low' },
      search_results: [{ title: 'Seattle forecast', url: 'https://weather.example/seattle', date: '2026-05-26', snippet: 'Mostly cloudy, 61°F' }],
      images: [],
      choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '', reasoning_steps: [] }, delta: { role: 'assistant', content: '' } }],
    }),
    json({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content: 'Mostly cloudy' } }] }),
    json({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, finish_reason: null, message: { role: 'assistant', content: '' }, delta: { role: 'assistant', content: ' tonight.[1]' } }] }),
    json({
      ...base,
      object: 'chat.completion.done',
      usage: { prompt_tokens: 6, completion_tokens: 238, total_tokens: 244, search_context_size: 'low', cost: { input_tokens_cost: 0, output_tokens_cost: 0.004, request_cost: 0.006, total_cost: 0.01 } },
      search_results: [{ title: 'Seattle forecast', url: 'https://weather.example/seattle', date: '2026-05-26', snippet: 'Mostly cloudy, 61°F' }],
      choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'Mostly cloudy tonight.[1]' }, delta: { role: 'assistant', content: '' } }],
    }),
  ];

  test("the steps' thoughts are the reasoning, one per line; the steps as sent are metadata", () => {
    const { error, response, chunks } = decode(perplexity, events);
    expect(error).toBeUndefined();
    expect(response.reasoning).toBe("Searching the web for Seattle's current weather...\nComparing the 7-day forecasts…\n");
    expect(response.content).toBe('Mostly cloudy tonight.[1]');
    const steps = chunks.filter((c) => c.metadata?.reasoningSteps).map((c) => c.metadata!.reasoningSteps as Array<{ web_search: { search_keywords: string[] } }>);
    expect(steps.map((s) => s[0].web_search.search_keywords)).toEqual([['Seattle current weather'], ['Seattle 7 day forecast', 'シアトル 天気']]);
    expect(response.citations).toEqual([{ url: 'https://weather.example/seattle', title: 'Seattle forecast', snippet: 'Mostly cloudy, 61°F', date: '2026-05-26' }]);
    expect(response.usage).toEqual({ inputTokens: 6, outputTokens: 238, totalTokens: 244 });
    expect(response.finishReason).toBe('stop');
  });

  test('the option streamMode is sent as stream_mode', () => {
    const request = perplexity.buildRequest([{ role: 'user', content: 'Hi' }], { model: 'sonar-pro', baseURL: 'https://api.perplexity.ai', streamMode: 'concise' } as never);
    expect((request.body as Record<string, unknown>).stream_mode).toBe('concise');
  });
});

describe('llama.cpp-family servers: a failed stream ends with an `error:` SSE line (or `event: error`)', () => {
  // llama.cpp tools/server: server_sent_event(sink, "error", format_error_response(...)) →
  // `error: {"code":…,"message":…,"type":…}`, then `data: [DONE]`
  const line = 'error: {"code":500,"message":"Failed to decode the batch: KV cache is full","type":"server_error"}';

  test('the `error:` line is the server error, with its message, type and code', () => {
    const error = providerErrorInText('lmstudio', line);
    expect(isProviderStreamError(error)).toBe(true);
    expect(error).toMatchObject({ errorType: 'server_error', code: 500, message: 'lmstudio stream error (server_error): Failed to decode the batch: KV cache is full', retryable: true });
  });

  test('an exceeded context is not retryable, and text without an error is still ignored', () => {
    expect(providerErrorInText('llama', 'error: {"code":400,"message":"the request exceeds the available context size","type":"exceed_context_size_error"}')).toMatchObject({ code: 400, retryable: false });
    expect(providerErrorInText('llama', 'retry-later: 5')).toBeUndefined();
    expect(providerErrorInText('llama', '{"note":"hi"}')).toBeUndefined();
  });

  test('`event: error` whose data is the error itself keeps its message and type', () => {
    const server = createOpenAICompatibleProvider({ id: 'llama-server', baseURL: 'http://127.0.0.1:8080/v1' });
    const { error, response } = decode(server, [delta({ role: 'assistant', content: 'Partial ' }), { event: 'error', data: '{"code":500,"message":"slot unavailable","type":"unavailable_error"}' }]);
    expect(isProviderStreamError(error)).toBe(true);
    expect(error).toMatchObject({ errorType: 'unavailable_error', code: 500, message: 'llama-server stream error (unavailable_error): slot unavailable' });
    expect(response.content).toBe('Partial ');
  });
});

describe('a stream of an API rxllm does not read, sent to the chat decoder', () => {
  test('a Responses API stream fails at its first event: ParseError "unrecognized stream format", naming the type, not retryable', () => {
    const { error, chunks } = decode(openai, [
      { event: 'response.created', data: json({ type: 'response.created', sequence_number: 0, response: { id: 'resp_1', object: 'response', status: 'in_progress', output: [] } }) },
      { event: 'response.output_text.delta', data: json({ type: 'response.output_text.delta', sequence_number: 1, delta: 'Hi' }) },
    ]);
    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toContain('unrecognized stream format');
    expect((error as Error).message).toContain('"response.created"');
    expect((error as { retryable: boolean }).retryable).toBe(false);
    expect(chunks).toEqual([]);
  });

  test('a legacy Completions stream fails too, naming object "text_completion"', () => {
    const { error } = decode(openai, [json({ id: 'cmpl-1', object: 'text_completion', created: 1, choices: [{ text: 'The', index: 0, logprobs: null, finish_reason: null }], model: 'gpt-3.5-turbo-instruct' }), '[DONE]']);
    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toMatch(/unrecognized stream format.*"text_completion"/);
  });

  test('a completions stream whose choices carry `text` and no `delta` (no `object`) fails the same way', () => {
    const server = createOpenAICompatibleProvider({ id: 'vllm', baseURL: 'http://127.0.0.1:8000/v1' });
    const { error } = decode(server, [json({ id: 'cmpl-2', created: 1, model: 'qwen', choices: [{ index: 0, text: '```py\n', finish_reason: null }] })]);
    expect(isParseError(error)).toBe(true);
    expect((error as Error).message).toContain('unrecognized stream format: the first event has choices with "text" and no "delta"');
  });

  test('an error event first is still the provider error, not a format error', () => {
    const { error } = decode(openai, [{ event: 'error', data: json({ type: 'error', sequence_number: 2, error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'You exceeded your current quota' } }) }]);
    expect(isProviderStreamError(error)).toBe(true);
    expect((error as Error).message).toContain('You exceeded your current quota');
  });

  test('chat streams that look unusual still pass: Azure, Perplexity concise, LM Studio', () => {
    expect(decode(openai, [json({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [] }), delta({ content: 'Hi' }, 'stop'), '[DONE]']).error).toBeUndefined();
    expect(decode(lmstudio, [delta({ role: 'assistant', content: 'Hi' }), delta({}, 'stop'), '[DONE]']).error).toBeUndefined();
  });
});
