import { createResponseAccumulator, streamChat$, type ChatResponse, type Chunk } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { externalBody, externalFixtures } from '../support/externalFixtures';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * Record-shaped Messages streams no recording has: each written as the API frames it (`event:` +
 * one `data:` line, JSON padded with spaces before its last brace, `{"type": "ping"}`), its blocks
 * shaped after `@anthropic-ai/sdk` 1.14's types (`CitationCharLocation`, `CitationPageLocation`,
 * `CitationContentBlockLocation`, `CitationsWebSearchResultLocation`, `ServerToolUseBlock`,
 * `WebSearchToolResultBlock`, `StopReason`) and the recorded streams of `external/` (the web search
 * of `vercel-anthropic-anthropic-web-search-tool.1`, the framing of
 * `ruby-llm-citations-with-anthropic-claude-haiku-4-5-streams-citations-0`). Each is replayed whole
 * over HTTP and at random splits in process.
 */
const frame = (payload: Record<string, unknown>, pad = 7): string => {
  const json = JSON.stringify(payload);
  return `event: ${payload.type}\ndata: ${json.slice(0, -1)}${' '.repeat(pad)}}\n\n`;
};
const sse = (...payloads: Array<Record<string, unknown>>): Buffer =>
  Buffer.from(payloads.map((p, i) => (p.type === 'ping' ? 'event: ping\ndata: {"type": "ping"}\n\n' : frame(p, (i * 5) % 11))).join(''));

const messageStart = (id: string, input: number) => ({
  type: 'message_start',
  message: {
    model: 'claude-sonnet-4-6',
    id,
    type: 'message',
    role: 'assistant',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: { input_tokens: input, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1, service_tier: 'standard', inference_geo: 'not_available' },
  },
});
const blockStart = (index: number, content_block: Record<string, unknown>) => ({ type: 'content_block_start', index, content_block });
const blockDelta = (index: number, delta: Record<string, unknown>) => ({ type: 'content_block_delta', index, delta });
const blockStop = (index: number) => ({ type: 'content_block_stop', index });
const messageDelta = (stop_reason: string, usage: Record<string, unknown>) => ({ type: 'message_delta', delta: { stop_reason, stop_sequence: null, stop_details: null }, usage });
const ping = { type: 'ping' };
const messageStop = { type: 'message_stop' };

// ---- a document answer with every document citation kind (text with an indented code line, a list, CJK, emoji) ----
const charCitation = {
  type: 'char_location',
  cited_text: 'def greet():\n    print("こんにちは 👋")\n',
  document_index: 0,
  document_title: 'greet.py',
  start_char_index: 0,
  end_char_index: 37,
  file_id: null,
};
const pageCitation = { type: 'page_location', cited_text: '- 東京: 37.4M\n- Delhi: 32.9M', document_index: 1, document_title: 'cities.pdf', start_page_number: 4, end_page_number: 5, file_id: null };
const blockCitation = { type: 'content_block_location', cited_text: 'Step 1. Install.Step 2. Run.', document_index: 2, document_title: null, start_block_index: 1, end_block_index: 3, file_id: null };
const DOCUMENT_ANSWER = sse(
  messageStart('msg_01DocCitations', 2048),
  blockStart(0, { citations: [], type: 'text', text: '' }),
  ping,
  blockDelta(0, { type: 'citations_delta', citation: charCitation }),
  blockDelta(0, { type: 'text_delta', text: 'The function prints a greeting:\n\n    print("こんにちは 👋")\n' }),
  blockStop(0),
  blockStart(1, { citations: [], type: 'text', text: '' }),
  blockDelta(1, { type: 'citations_delta', citation: pageCitation }),
  blockDelta(1, { type: 'text_delta', text: '\nThe largest cities:\n- 東京\n- Delhi' }),
  blockStop(1),
  blockStart(2, { citations: [], type: 'text', text: '' }),
  blockDelta(2, { type: 'citations_delta', citation: blockCitation }),
  blockDelta(2, { type: 'citations_delta', citation: pageCitation }),
  blockDelta(2, { type: 'text_delta', text: '\n\n1. Install, then 2. run 🚀' }),
  blockStop(2),
  messageDelta('end_turn', { input_tokens: 2048, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 61 }),
  messageStop,
);

// ---- a web search turn the server pauses (pause_turn), then its continuation ----
const searchCitation = {
  type: 'web_search_result_location',
  cited_text: 'Rust 1.80.0 stabilizes LazyCell and LazyLock.',
  url: 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html',
  title: 'Announcing Rust 1.80.0',
  encrypted_index: 'Eo8BCioICBgCIiRiY2Jj',
};
const searchResult = {
  type: 'web_search_tool_result',
  tool_use_id: 'srvtoolu_01Search',
  content: [{ type: 'web_search_result', title: 'Announcing Rust 1.80.0', url: 'https://blog.rust-lang.org/2024/07/25/Rust-1.80.0.html', encrypted_content: 'ErkeCioICBgCIiRi', page_age: 'July 25, 2024' }],
};
const PAUSED = sse(
  messageStart('msg_01Paused', 512),
  blockStart(0, { type: 'text', text: '' }),
  blockDelta(0, { type: 'text_delta', text: 'Let me search.' }),
  blockStop(0),
  blockStart(1, { type: 'server_tool_use', id: 'srvtoolu_01Search', name: 'web_search', input: {} }),
  ping,
  blockDelta(1, { type: 'input_json_delta', partial_json: '' }),
  blockDelta(1, { type: 'input_json_delta', partial_json: '{"query": "Rust 1.' }),
  blockDelta(1, { type: 'input_json_delta', partial_json: '80 release"}' }),
  blockStop(1),
  blockStart(2, searchResult),
  blockStop(2),
  blockStart(3, { citations: [], type: 'text', text: '' }),
  blockDelta(3, { type: 'citations_delta', citation: searchCitation }),
  blockDelta(3, { type: 'text_delta', text: ' Rust 1.80 adds `LazyLock`.' }),
  blockStop(3),
  messageDelta('pause_turn', { input_tokens: 512, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 90, server_tool_use: { web_search_requests: 1 } }),
  messageStop,
);
const CONTINUED = sse(
  messageStart('msg_01Continued', 1400),
  blockStart(0, { type: 'text', text: '' }),
  blockDelta(0, { type: 'text_delta', text: '\n\n```rust\nstatic X: LazyLock<u32> = LazyLock::new(|| 1);\n```' }),
  blockStop(0),
  messageDelta('end_turn', { input_tokens: 1400, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 30 }),
  messageStop,
);
/** the assistant turn the continuation must send: the paused response's blocks, as they streamed */
const PAUSED_TURN = [
  { type: 'text', text: 'Let me search.' },
  { type: 'server_tool_use', id: 'srvtoolu_01Search', name: 'web_search', input: { query: 'Rust 1.80 release' } },
  searchResult,
  { type: 'text', text: ' Rust 1.80 adds `LazyLock`.', citations: [searchCitation] },
];
const WEB_SEARCH = { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] };

describe('Anthropic conformance on record-shaped streams', () => {
  const SEEDS = 25;
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (bodies: Buffer[], cutsOf: (body: Buffer) => number[], over: 'http' | 'in process', extraBody?: Record<string, unknown>) => {
    for (const body of bodies) (over === 'http' ? server : inProcess).respondWith({ body, cuts: cutsOf(body) });
    const { chunks, error } = await collect(
      streamChat$('anthropic', [{ role: 'user', content: 'What is new in Rust 1.80?' }], { baseURL: `${server.url}/v1`, apiKey: 'sk-ant-test-replay', extraBody }),
    );
    chunks.forEach((c, i) => expect(c.seq).toBe(i));
    const fold = createResponseAccumulator();
    for (const c of chunks) fold.add(c);
    return { chunks, response: fold.snapshot(), error };
  };
  /** whole over HTTP, then at random splits in process: the same answer every time */
  const everyWay = async (bodies: Buffer[], extraBody: Record<string, unknown> | undefined, check: (response: ChatResponse, chunks: Chunk[]) => void) => {
    const whole = await run(bodies, () => [], 'http', extraBody);
    expect(whole.error).toBeUndefined();
    check(whole.response, whole.chunks);
    for (let seed = 1; seed <= SEEDS; seed++) {
      const random = seededRandom(seed * 7919 + bodies[0].length);
      const split = await run(bodies, (body) => randomCuts(random, body.length, 1 + Math.floor(random() * 12)), 'in process', extraBody);
      try {
        expect(split.error).toBeUndefined();
        expect(split.response).toEqual(whole.response);
      } catch (error) {
        throw new Error(`seed ${seed}: ${(error as Error).message}`);
      }
    }
  };

  test('document citations (char, page and content block locations) are all kept, in order, each source once', async () => {
    await everyWay([DOCUMENT_ANSWER], undefined, (response) => {
      expect(response.content).toBe('The function prints a greeting:\n\n    print("こんにちは 👋")\n\nThe largest cities:\n- 東京\n- Delhi\n\n1. Install, then 2. run 🚀');
      expect(response.citations).toEqual([
        { documentIndex: 0, location: { kind: 'char', start: 0, end: 37 }, title: 'greet.py', snippet: charCitation.cited_text },
        { documentIndex: 1, location: { kind: 'page', start: 4, end: 5 }, title: 'cities.pdf', snippet: pageCitation.cited_text },
        { documentIndex: 2, location: { kind: 'block', start: 1, end: 3 }, snippet: blockCitation.cited_text },
      ]);
      expect(response.metadata.citation).toBeUndefined();
      expect(response.finishReason).toBe('stop');
    });
  });

  test('ruby-llm-citations-with-anthropic-claude-haiku-4-5-streams-citations-0: its char_location citation is a Citation of document 0', async () => {
    const fixture = externalFixtures('messages').find((f) => f.name === 'ruby-llm-citations-with-anthropic-claude-haiku-4-5-streams-citations-0')!;
    await everyWay([externalBody(fixture)], undefined, (response) => {
      expect(response.citations).toEqual([
        {
          documentIndex: 0,
          location: { kind: 'char', start: 0, end: 73 },
          title: 'facts.txt',
          snippet: 'The Ruby programming language was created by Yukihiro Matsumoto in 1993. ',
        },
      ]);
    });
  });

  test('pause_turn: the paused turn is sent again as the last assistant turn, and the answer goes on as one', async () => {
    const before = server.received.length;
    await everyWay([PAUSED, CONTINUED], WEB_SEARCH, (response, chunks) => {
      expect(response.content).toBe('Let me search. Rust 1.80 adds `LazyLock`.\n\n```rust\nstatic X: LazyLock<u32> = LazyLock::new(|| 1);\n```');
      expect(response.finishReason).toBe('stop');
      expect(response.metadata.rawFinishReason).toBe('end_turn');
      expect(response.id).toBe('msg_01Paused');
      expect(response.toolCalls).toEqual([]);
      expect(response.citations).toEqual([{ url: searchCitation.url, title: searchCitation.title, snippet: searchCitation.cited_text }]);
      // each hop is a request of its own: its usage adds up
      expect(response.usage).toMatchObject({ inputTokens: 512 + 1400, outputTokens: 90 + 30 });
      // no chunk says the answer finished before its end
      expect(chunks.filter((c) => c.finishReason !== undefined)).toHaveLength(1);
      expect(chunks.find((c) => c.metadata?.hop === 1)?.id).toBe('msg_01Continued');
    });
    const [first, second] = server.received.slice(before);
    const sent = JSON.parse(second.body);
    expect(sent.messages).toEqual([...JSON.parse(first.body).messages, { role: 'assistant', content: PAUSED_TURN }]);
    expect(sent.tools).toEqual(WEB_SEARCH.tools);
  });
});
