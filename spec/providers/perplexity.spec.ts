import { createResponseAccumulator, isConfigError, isParseError, isStreamInterruptedError, type Chunk, type ConfigError, type ParseError } from '../../lib';
import { prepareRequest } from '../support/prepareRequest';
import { perplexity } from '../../providers/perplexity';
import { convertPerplexityCitations } from '../../providers/perplexity/convertPerplexityCitations';

const user = (content: string) => [{ role: 'user' as const, content }];

const SOURCES = {
  citations: ['https://a.example/ruby', 'https://b.example/matz'],
  search_results: [
    { title: 'Ruby', url: 'https://a.example/ruby', date: '2001-10-17', last_updated: '2026-06-02', snippet: 'Ruby is…', source: 'web' },
    { title: 'Matz', url: 'https://b.example/matz', last_updated: '2026-05-29', snippet: 'Yukihiro…', source: 'web' },
  ],
};

let soFar = '';
/** A "full mode" content payload: role in the delta, cumulative `message`, sources, running usage, no finish_reason key. */
const content = (text: string, completion: number, extra: Record<string, unknown> = SOURCES) => {
  soFar += text;
  return {
    id: 'aced166e-c42e-42ea-941e-24477b147dac',
    model: 'sonar',
    created: 1780944367,
    usage: { prompt_tokens: 8, completion_tokens: completion, total_tokens: 8 + completion, search_context_size: 'low', cost: { total_cost: 0 } },
    ...extra,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, message: { role: 'assistant', content: soFar }, delta: { role: 'assistant', content: text } }],
  };
};
/** The final `chat.completion.done` payload. */
const done = (completion: number, extra: Record<string, unknown> = SOURCES) => ({
  id: 'aced166e-c42e-42ea-941e-24477b147dac',
  model: 'sonar',
  created: 1780944368,
  usage: { prompt_tokens: 8, completion_tokens: completion, total_tokens: 8 + completion, cost: { request_cost: 0.005, total_cost: 0.00501 } },
  ...extra,
  object: 'chat.completion.done',
  choices: [{ index: 0, message: { role: 'assistant', content: soFar }, delta: { role: 'assistant', content: '' }, finish_reason: 'stop' }],
});

/** Feeds payloads to a fresh Perplexity decoder, then ends the body as the wire does (no [DONE]). */
function decode(events: Array<Record<string, unknown>>, { end = true } = {}) {
  soFar = '';
  const chunks: Chunk[] = [];
  const decoder = perplexity.createDecoder({ provider: 'perplexity', emit: (c) => chunks.push(c) });
  let error: unknown;
  try {
    for (const e of events) decoder.onEvent({ data: JSON.stringify(e) });
    if (end) decoder.onEnd();
  } catch (e) {
    error = e;
  }
  const accumulator = createResponseAccumulator();
  for (const c of chunks) accumulator.add(c);
  return { chunks, error, response: accumulator.snapshot() };
}

/** Streams `pieces` as deltas of a sonar-reasoning answer and returns what became reasoning and content. */
function splitPieces(pieces: string[]) {
  soFar = '';
  const events = [...pieces.map((p, i) => content(p, i + 1)), done(pieces.length)];
  const { chunks, error } = decode(events);
  expect(error).toBeUndefined();
  return { reasoning: chunks.map((c) => c.reasoning ?? '').join(''), content: chunks.map((c) => c.content ?? '').join(''), chunks };
}

describe('perplexity provider', () => {
  test('Perplexity’s endpoint (no /v1), model and key variable', () => {
    expect(perplexity.id).toBe('perplexity');
    expect(perplexity.defaultBaseURL).toBe('https://api.perplexity.ai');
    expect(perplexity.defaultModel).toBe('sonar');
    expect(perplexity.apiKeyEnv).toBe('PERPLEXITY_API_KEY');
    expect(perplexity.requiresApiKey).toBe(true);
  });

  describe('request', () => {
    test('POST https://api.perplexity.ai/chat/completions with a Bearer key, max_tokens and include_usage', () => {
      const { request } = prepareRequest('perplexity', user('What is Ruby?'), { apiKey: 'pplx-key-0042', maxTokens: 200 });
      expect(request.url).toBe('https://api.perplexity.ai/chat/completions');
      expect(request.headers).toEqual({ accept: 'text/event-stream', authorization: 'Bearer pplx-key-0042' });
      expect(request.body).toEqual({
        model: 'sonar',
        messages: [{ role: 'user', content: 'What is Ruby?' }],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 200,
      });
    });

    test('searchMode → search_mode, searchRecencyFilter → search_recency_filter, searchDomainFilter → search_domain_filter', () => {
      const { request } = prepareRequest('perplexity', user('Hi'), {
        apiKey: 'k',
        searchMode: 'academic',
        searchRecencyFilter: 'week',
        searchDomainFilter: ['arxiv.org', '-reddit.com'],
      });
      expect(request.body).toMatchObject({ search_mode: 'academic', search_recency_filter: 'week', search_domain_filter: ['arxiv.org', '-reddit.com'] });
      const plain = prepareRequest('perplexity', user('Hi'), { apiKey: 'k' }).request.body as Record<string, unknown>;
      expect(Object.keys(plain).filter((k) => k.startsWith('search'))).toEqual([]);
    });

    test('an unknown search mode is a ConfigError naming searchMode', () => {
      let error: unknown;
      try {
        prepareRequest('perplexity', user('Hi'), { apiKey: 'k', searchMode: 'images' });
      } catch (e) {
        error = e;
      }
      expect(isConfigError(error)).toBe(true);
      expect((error as ConfigError).issues[0]).toMatchObject({ path: 'searchMode', got: '"images"' });
    });
  });

  describe('<think> blocks', () => {
    const TEXT = '<think>\nLet me think.\n</think>\n\nThe answer.';
    const REASONING = '\nLet me think.\n';
    const ANSWER = '\n\nThe answer.';

    test('split at every pair of points of a <think>…</think> text, the parts always add up to the same reasoning and answer', () => {
      for (let i = 1; i < TEXT.length; i++) {
        for (let j = i + 1; j < TEXT.length; j++) {
          const pieces = [TEXT.slice(0, i), TEXT.slice(i, j), TEXT.slice(j)];
          const out = splitPieces(pieces);
          if (out.reasoning !== REASONING || out.content !== ANSWER) throw new Error(`split ${JSON.stringify(pieces)}: ${JSON.stringify(out)}`);
        }
      }
    });

    test('one character per delta: no tag character ever reaches reasoning or content', () => {
      const out = splitPieces([...TEXT]);
      expect(out.reasoning).toBe(REASONING);
      expect(out.content).toBe(ANSWER);
      expect(out.chunks.some((c) => /[<>]/.test((c.reasoning ?? '') + (c.content ?? '')))).toBe(false);
    });

    test('the close tag sharing a delta with the answer, as recorded ("\\n</think>\\n\\n#")', () => {
      const out = splitPieces(['<think>\nThis is an', ' idea', '\n</think>\n\n#', ' Title']);
      expect(out.reasoning).toBe('\nThis is an idea\n');
      expect(out.content).toBe('\n\n# Title');
      const closing = out.chunks.find((c) => c.content === '\n\n#');
      expect(closing?.reasoning).toBe('\n');
    });

    test('text without a leading block is content, even when it starts like a tag or mentions one later', () => {
      expect(splitPieces(['<thin', 'king aloud>'])).toMatchObject({ reasoning: '', content: '<thinking aloud>' });
      expect(splitPieces(['<b>bold</b>'])).toMatchObject({ reasoning: '', content: '<b>bold</b>' });
      expect(splitPieces(['Use ', '<think>', ' tags', '</think>'])).toMatchObject({ reasoning: '', content: 'Use <think> tags</think>' });
      expect(splitPieces(['<', 'th'])).toMatchObject({ reasoning: '', content: '<th' });
    });

    test('leading whitespace before the block is allowed; a second block after the first is content', () => {
      expect(splitPieces(['\n', ' <think>a</think>b<think>c</think>'])).toMatchObject({ reasoning: 'a', content: 'b<think>c</think>' });
    });

    test('an unclosed block: held-back text is reasoning at the finish; a cut stream keeps what it had', () => {
      expect(splitPieces(['<think>still thinking </th'])).toMatchObject({ reasoning: 'still thinking </th', content: '' });
      soFar = '';
      const { error, response } = decode([content('<think>half a thou', 1), content('ght</', 2)]);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect(response.reasoning).toBe('half a thought</');
    });
  });

  describe('sources', () => {
    test('citations + search_results → chunk.citations once, on the first chunk, in citations order', () => {
      const { chunks, response } = decode([content('Ruby', 1), content(' is[1]', 2), content(' by Matz[2].', 3), done(3)]);
      expect(chunks[0].citations).toEqual([
        { url: 'https://a.example/ruby', title: 'Ruby', snippet: 'Ruby is…', date: '2001-10-17' },
        { url: 'https://b.example/matz', title: 'Matz', snippet: 'Yukihiro…' },
      ]);
      expect(chunks.filter((c) => c.citations)).toHaveLength(1);
      expect(response.citations).toHaveLength(2);
    });

    test('sources that arrive only later are sent then, still once', () => {
      const { chunks } = decode([content('A', 1, {}), content('B', 2), content('C', 3), done(3)]);
      expect(chunks.map((c) => Boolean(c.citations))).toEqual([false, true, false, false]);
    });

    test('convertPerplexityCitations: URLs only, search results only, and uncited results after the cited ones', () => {
      expect(convertPerplexityCitations(['https://x.example'], undefined)).toEqual([{ url: 'https://x.example' }]);
      expect(convertPerplexityCitations(null, [{ url: 'https://y.example', title: 'Y' }, { title: 'no url' }])).toEqual([{ url: 'https://y.example', title: 'Y' }]);
      expect(convertPerplexityCitations(['https://b.example'], [{ url: 'https://a.example', title: 'A' }, { url: 'https://b.example', title: 'B' }])).toEqual([
        { url: 'https://b.example', title: 'B' },
        { url: 'https://a.example', title: 'A' },
      ]);
    });

    test('malformed citations are a ParseError naming the field', () => {
      const { error } = decode([content('x', 1, { citations: 'https://a.example' })]);
      expect(isParseError(error)).toBe(true);
      expect((error as ParseError).message).toMatch(/citations/);
    });
  });

  describe('usage and completion', () => {
    test('the running usage of every payload is emitted once, the last one, on the finish chunk — never summed', () => {
      const { chunks, response, error } = decode([content('1', 1), content(' 2', 2), content(' 3', 3), done(5)]);
      expect(error).toBeUndefined();
      expect(chunks.filter((c) => c.usage)).toHaveLength(1);
      expect(chunks[chunks.length - 1]).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 8, outputTokens: 5, totalTokens: 13 } });
      expect(response.usage).toEqual({ inputTokens: 8, outputTokens: 5, totalTokens: 13 });
    });

    test('the text is the deltas: the cumulative message.content is never appended', () => {
      const { response } = decode([content('1', 1), content(' 2', 2), content(' 3', 3), done(3)]);
      expect(response.content).toBe('1 2 3');
    });

    test('no [DONE]: the body ending after the finish completes; ending before it is truncated, with the usage so far', () => {
      expect(decode([content('1', 1), done(1)]).error).toBeUndefined();
      const cut = decode([content('1', 1), content(' 2', 2)]);
      expect(isStreamInterruptedError(cut.error)).toBe(true);
      expect(cut.response.content).toBe('1 2');
      expect(cut.chunks.filter((c) => c.usage)).toHaveLength(1);
      expect(cut.response.usage).toEqual({ inputTokens: 8, outputTokens: 2, totalTokens: 10 });
    });

    test('an appended [DONE] (as proxies and test helpers add) ends the stream too', () => {
      soFar = '';
      const chunks: Chunk[] = [];
      const decoder = perplexity.createDecoder({ provider: 'perplexity', emit: (c) => chunks.push(c) });
      decoder.onEvent({ data: JSON.stringify(content('Hi', 1)) });
      decoder.onEvent({ data: JSON.stringify(done(1)) });
      decoder.onEvent({ data: '[DONE]' });
      expect(decoder.done).toBe(true);
      expect(chunks.filter((c) => c.usage)).toHaveLength(1);
    });
  });
});
