import OpenAI from 'openai';
import { createResponseAccumulator, streamChat$, type ChatResponse } from '../../lib';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * What the 74 recorded Responses streams lack, as record-shaped bodies: each event built from its
 * type in the `openai` package (6.49.0, `resources/responses/responses.d.ts`: `ResponseRefusalDeltaEvent`,
 * `ResponseIncompleteEvent`, `ResponseFunctionCallArgumentsDoneEvent`,
 * `ResponseReasoningSummaryPartAddedEvent`, `ResponseOutputTextAnnotationAddedEvent`, …), framed as
 * api.openai.com frames them (`event: <type>`, `data: <payload>`, a rising `sequence_number`). Each
 * body is read by the `openai` package (`responses.stream(…).finalResponse()`) and by rxllm, whole
 * and at 50 random splits, and the two readings must agree, under the rules by which the recorded
 * readings were made (fixtures/external/SOURCES.md, "OpenAI Responses API family").
 */

type Item = Record<string, unknown>;

const usage = { input_tokens: 31, input_tokens_details: { cached_tokens: 8 }, output_tokens: 57, output_tokens_details: { reasoning_tokens: 12 }, total_tokens: 88 };
const response = (status: string, output: Item[], extra: object = {}) => ({
  id: 'resp_shape_1',
  object: 'response',
  created_at: 1_765_000_000,
  model: 'gpt-5-mini-2025-08-07',
  status,
  output,
  usage: status === 'in_progress' ? null : usage,
  error: null,
  incomplete_details: null,
  ...extra,
});

/** The events of one response: created, in progress, the items' events, and the terminal event. */
function body(items: Array<{ item: Item; events: Item[] }>, end: 'completed' | { incomplete: string }): Buffer {
  const output = items.map(({ item }) => item);
  const events: Item[] = [
    { type: 'response.created', response: response('in_progress', []) },
    { type: 'response.in_progress', response: response('in_progress', []) },
  ];
  items.forEach(({ item, events: inner }, output_index) => {
    const { content: _content, summary: _summary, ...opening } = item;
    const added = item.type === 'message' ? { ...opening, status: 'in_progress', content: [] } : item.type === 'reasoning' ? { ...opening, summary: [] } : { ...opening, status: 'in_progress', arguments: '' };
    events.push({ type: 'response.output_item.added', output_index, item: added });
    for (const event of inner) events.push({ output_index, item_id: item.id, ...event });
    events.push({ type: 'response.output_item.done', output_index, item });
  });
  if (end === 'completed') events.push({ type: 'response.completed', response: response('completed', output) });
  else events.push({ type: 'response.incomplete', response: response('incomplete', output, { incomplete_details: { reason: end.incomplete } }) });
  return Buffer.from(events.map((event, sequence_number) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number })}\n\n`).join(''));
}

/** A message item streaming `parts` of output text (or of a refusal), with annotations on the text. */
function message(id: string, parts: string[], kind: 'output_text' | 'refusal' = 'output_text', annotations: Item[] = []) {
  const whole = parts.join('');
  const part = kind === 'refusal' ? { type: 'refusal', refusal: whole } : { type: 'output_text', text: whole, annotations, logprobs: [] };
  const empty = kind === 'refusal' ? { type: 'refusal', refusal: '' } : { type: 'output_text', text: '', annotations: [], logprobs: [] };
  const at = { content_index: 0 };
  const deltaType = kind === 'refusal' ? 'response.refusal.delta' : 'response.output_text.delta';
  return {
    item: { id, type: 'message', status: 'completed', role: 'assistant', content: [part] },
    events: [
      { type: 'response.content_part.added', ...at, part: empty },
      ...parts.map((delta) => ({ type: deltaType, ...at, delta, ...(kind === 'output_text' ? { logprobs: [] } : {}) })),
      ...annotations.map((annotation, annotation_index) => ({ type: 'response.output_text.annotation.added', ...at, annotation_index, annotation })),
      kind === 'refusal' ? { type: 'response.refusal.done', ...at, refusal: whole } : { type: 'response.output_text.done', ...at, text: whole, logprobs: [] },
      { type: 'response.content_part.done', ...at, part },
    ],
  };
}

const SHAPES: Record<string, Buffer> = {
  'a refusal (ResponseRefusalDeltaEvent)': body([message('msg_r', ["I can't help ", 'with that.'], 'refusal')], 'completed'),
  'cut by max_output_tokens (ResponseIncompleteEvent)': body([message('msg_i', ['def answer():\n', '    return {\n', '        "a": [1, 2'])], { incomplete: 'max_output_tokens' }),
  'stopped by the content filter (ResponseIncompleteEvent)': body([message('msg_f', ['The first ', 'half'])], { incomplete: 'content_filter' }),
  'arguments sent whole, on .done only (ResponseFunctionCallArgumentsDoneEvent, as LM Studio streams a call)': body(
    [
      message('msg_t', ['Checking the weather.']),
      {
        item: { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_w1', name: 'weather', arguments: '{"city":"Zürich","days":[1,2]}' },
        events: [{ type: 'response.function_call_arguments.done', name: 'weather', arguments: '{"city":"Zürich","days":[1,2]}' }],
      },
    ],
    'completed',
  ),
  'two summary parts of one reasoning item (ResponseReasoningSummaryPartAddedEvent)': body(
    [
      {
        item: { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: '**Plan**\n\nList the steps.' }, { type: 'summary_text', text: 'Then check them.' }] },
        events: [
          { type: 'response.reasoning_summary_part.added', summary_index: 0, part: { type: 'summary_text', text: '' } },
          { type: 'response.reasoning_summary_text.delta', summary_index: 0, delta: '**Plan**\n\n' },
          { type: 'response.reasoning_summary_text.delta', summary_index: 0, delta: 'List the steps.' },
          { type: 'response.reasoning_summary_text.done', summary_index: 0, text: '**Plan**\n\nList the steps.' },
          { type: 'response.reasoning_summary_part.done', summary_index: 0, part: { type: 'summary_text', text: '**Plan**\n\nList the steps.' } },
          { type: 'response.reasoning_summary_part.added', summary_index: 1, part: { type: 'summary_text', text: '' } },
          { type: 'response.reasoning_summary_text.delta', summary_index: 1, delta: 'Then check them.' },
          { type: 'response.reasoning_summary_text.done', summary_index: 1, text: 'Then check them.' },
          { type: 'response.reasoning_summary_part.done', summary_index: 1, part: { type: 'summary_text', text: 'Then check them.' } },
        ],
      },
      message('msg_p', ['1. Read\n', '2. Check 🙂']),
    ],
    'completed',
  ),
  'url and file citations, one URL cited twice (ResponseOutputTextAnnotationAddedEvent)': body(
    [
      message('msg_c', ['Streams break [1]; ', 'resume them [2][1].'], 'output_text', [
        { type: 'url_citation', url: 'https://example.com/streams', title: 'Streams', start_index: 13, end_index: 16 },
        { type: 'url_citation', url: 'https://example.com/resume', title: 'Resume', start_index: 31, end_index: 34 },
        { type: 'url_citation', url: 'https://example.com/streams', title: 'Streams', start_index: 34, end_index: 37 },
        { type: 'file_citation', file_id: 'file_1', filename: 'notes.pdf', index: 12 },
      ]),
    ],
    'completed',
  ),
};

/** The `openai` package's final response, read as the recorded readings were (external/SOURCES.md). */
function peerReading(final: Record<string, any>) {
  const output = final.output as Item[];
  const messages = output.filter((item) => item.type === 'message').flatMap((item) => item.content as Item[]);
  const summaries = output.filter((item) => item.type === 'reasoning').flatMap((item) => (item.summary as Item[]).map((part) => part.text as string));
  const calls = output.filter((item) => item.type === 'function_call');
  const incomplete = final.incomplete_details?.reason as string | undefined;
  return {
    content: messages.map((part) => (part.type === 'refusal' ? part.refusal : part.text)).join(''),
    reasoning: summaries.join('\n\n'),
    toolCalls: calls.map((call) => ({ id: call.call_id, name: call.name, arguments: JSON.parse(call.arguments as string) })),
    citations: [...new Set(messages.flatMap((part) => ((part.annotations as Item[] | undefined) ?? []).filter((a) => a.type === 'url_citation').map((a) => a.url)))],
    finish: final.status === 'completed' ? (calls.length > 0 ? 'tool_calls' : 'stop') : incomplete === 'max_output_tokens' ? 'length' : incomplete === 'content_filter' ? 'content_filter' : 'other',
    usage: { inputTokens: final.usage.input_tokens, cachedInputTokens: final.usage.input_tokens_details.cached_tokens, outputTokens: final.usage.output_tokens, reasoningTokens: final.usage.output_tokens_details.reasoning_tokens },
  };
}

const rxllmReading = (response: ChatResponse) => ({
  content: response.content,
  reasoning: response.reasoning,
  toolCalls: response.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })),
  citations: response.citations.map((citation) => citation.url),
  finish: response.finishReason,
  usage: { inputTokens: response.usage?.inputTokens, cachedInputTokens: response.usage?.cachedInputTokens, outputTokens: response.usage?.outputTokens, reasoningTokens: response.usage?.reasoningTokens },
});

describe('OpenAI Responses API conformance on record-shaped bodies of what the recordings lack, read by the openai package too', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const rxllm = async (bytes: Buffer, cuts: number[], over: 'http' | 'in process') => {
    (over === 'http' ? server : inProcess).respondWith({ body: bytes, cuts });
    const { chunks, error } = await collect(streamChat$(openaiResponses, [{ role: 'user', content: 'shape' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-test-shapes' }));
    expect(error).toBeUndefined();
    expect(chunks.findIndex((c, i) => c.seq !== i)).toBe(-1);
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    return fold.snapshot();
  };

  for (const [shape, bytes] of Object.entries(SHAPES)) {
    test(shape, async () => {
      server.respondWith({ body: bytes });
      const client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'sk-test-shapes', maxRetries: 0 });
      const peer = peerReading(await client.responses.stream({ model: 'gpt-5-mini', input: 'shape' }).finalResponse());
      expect(rxllmReading(await rxllm(bytes, [], 'http'))).toEqual(peer);
      for (let seed = 1; seed <= 50; seed++) {
        const random = seededRandom(seed * 7919 + bytes.length);
        const cuts = randomCuts(random, bytes.length, 1 + Math.floor(random() * 12));
        const reading = rxllmReading(await rxllm(bytes, cuts, 'in process'));
        if (JSON.stringify(reading) !== JSON.stringify(peer)) expect({ seed, cuts, reading }).toEqual({ seed, cuts, reading: peer });
      }
    });
  }

  test('the refusal streams as content marked refusal', async () => {
    const bytes = SHAPES['a refusal (ResponseRefusalDeltaEvent)'];
    inProcess.respondWith({ body: bytes });
    const { chunks } = await collect(streamChat$(openaiResponses, [{ role: 'user', content: 'shape' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-test-shapes' }));
    const text = chunks.filter((c) => c.content);
    expect(text.map((c) => c.content).join('')).toBe("I can't help with that.");
    expect(text.every((c) => c.metadata?.refusal === true)).toBe(true);
  });
});
