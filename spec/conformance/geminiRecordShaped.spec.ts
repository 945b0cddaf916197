import { createResponseAccumulator, streamChat$, type ChatResponse, type Chunk } from '../../lib';
import { seededRandom } from '../../testing';
import { collect } from '../support/collect';
import { inProcessReplay } from '../support/inProcessReplay';
import { randomCuts, startReplayServer } from '../support/replayServer';

/**
 * Gemini shapes no recorded fixture has, written as the API sends them (CRLF-framed events, Google's
 * JSON style) and replayed whole over HTTP and cut at random byte offsets (mid-character too): Google
 * Search grounding, Vertex AI citations, a Vertex call whose arguments come whole as `partialArgs`,
 * and the usage of a turn where the server ran tools. Each body says where its shape comes from.
 */
const event = (value: unknown) => `data: ${JSON.stringify(value)}\r\n\r\n`;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');
const text = (t: string, extra: Record<string, unknown> = {}) => ({
  candidates: [{ content: { parts: [{ text: t }], role: 'model' }, index: 0, ...extra }],
  modelVersion: 'gemini-2.5-flash',
  responseId: 'gr0und1ng',
});

// --- Google Search grounding. Shape: a stream recorded from gemini with `googleSearch` (quoted in a
// public test suite: text events, then a last event with an empty signed text part, `finishReason`,
// `groundingMetadata` { searchEntryPoint, groundingChunks[].web { uri, title }, groundingSupports[]
// { segment { startIndex, endIndex, text }, groundingChunkIndices }, webSearchQueries }, whose offsets
// count UTF-8 bytes of the whole streamed answer), js-genai's `GroundingMetadata` / `Segment` types,
// and the usage of js-genai's server-side tool recordings (`toolUsePromptTokenCount`).
const PIECES = [
  'Le café ☕ de Zürich ouvre à 7 h. 東京の天気は晴れ 🌤️。\n',
  '- Étapes :\n    def brew():\n        return "😀 naïve"\n',
  'Fin : façade 👩‍👩‍👧 prête.',
];
const ANSWER = PIECES.join('');
/** a support for `quote`, its offsets in UTF-8 bytes of the answer, as the API counts them */
const support = (quote: string, chunks: number[], from = 0) => {
  const at = ANSWER.indexOf(quote, from);
  const segment: Record<string, unknown> = { endIndex: bytes(ANSWER.slice(0, at + quote.length)), text: quote };
  // Google's JSON leaves a zero out
  if (at > 0) segment.startIndex = bytes(ANSWER.slice(0, at));
  return { segment, groundingChunkIndices: chunks };
};
const GROUNDING = {
  searchEntryPoint: { renderedContent: '<div class="container">…</div>' },
  groundingChunks: [
    { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/AAA', title: 'cafe-zuerich.ch' } },
    { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/BBB', title: 'tenki.jp' } },
    { web: { uri: 'https://vertexaisearch.cloud.google.com/grounding-api-redirect/CCC', title: 'unused.example' } },
    {},
  ],
  groundingSupports: [
    support('Le café ☕ de Zürich ouvre à 7 h.', [0]),
    support('東京の天気は晴れ 🌤️。', [1, 0]),
    support('return "😀 naïve"', [1]),
    support('Fin : façade 👩‍👩‍👧 prête.', [0, 7]),
    // offsets the text does not bear out, but a quote that is there: found by its text
    { segment: { startIndex: 3, endIndex: 9, text: 'Étapes' }, groundingChunkIndices: [1] },
    // offsets past the answer and no quote: no span
    { segment: { startIndex: 4000, endIndex: 4100 }, groundingChunkIndices: [1] },
  ],
  webSearchQueries: ['café Zürich horaires', '東京 天気'],
};
const USAGE = {
  promptTokenCount: 31,
  candidatesTokenCount: 58,
  toolUsePromptTokenCount: 412,
  thoughtsTokenCount: 120,
  totalTokenCount: 621,
  promptTokensDetails: [{ modality: 'TEXT', tokenCount: 31 }],
  toolUsePromptTokensDetails: [{ modality: 'TEXT', tokenCount: 412 }],
};
const GROUNDED_BODY =
  event(text(PIECES[0], {})) +
  event(text(PIECES[1])) +
  event(text(PIECES[2])) +
  event({ ...text('', { finishReason: 'STOP', groundingMetadata: GROUNDING }), usageMetadata: USAGE }) +
  // the same grounding again on a later event (seen on long answers): nothing new to cite
  event({ candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, index: 0, groundingMetadata: GROUNDING }], usageMetadata: USAGE });

const span = (quote: string, from = 0) => {
  const start = ANSWER.indexOf(quote, from);
  return { start, end: start + quote.length, text: quote };
};
const AAA = { url: GROUNDING.groundingChunks[0].web!.uri, title: 'cafe-zuerich.ch' };
const BBB = { url: GROUNDING.groundingChunks[1].web!.uri, title: 'tenki.jp' };
const CCC = { url: GROUNDING.groundingChunks[2].web!.uri, title: 'unused.example' };

// --- Vertex AI citations. Shape: js-genai's `CitationMetadata { citations: Citation[] }` (Vertex;
// the Gemini API's `citationSources` is mapped to it by the SDK), `Citation { startIndex, endIndex,
// uri, title, license, publicationDate: google.type.Date }`; offsets in UTF-8 bytes.
const VERTEX_TEXT = 'À la claire fontaine, m’en allant promener — 🎵 J’ai trouvé l’eau si belle.';
const quoteAt = (quote: string) => ({ startIndex: bytes(VERTEX_TEXT.slice(0, VERTEX_TEXT.indexOf(quote))), endIndex: bytes(VERTEX_TEXT.slice(0, VERTEX_TEXT.indexOf(quote) + quote.length)) });
const VERTEX_BODY =
  event({ candidates: [{ content: { parts: [{ text: VERTEX_TEXT.slice(0, 30) }], role: 'model' } }], modelVersion: 'gemini-2.5-pro', createTime: '2026-11-02T10:00:00.000000Z', responseId: 'v3rtex' }) +
  event({
    candidates: [
      {
        content: { parts: [{ text: VERTEX_TEXT.slice(30) }], role: 'model' },
        finishReason: 'STOP',
        citationMetadata: {
          citations: [
            { ...quoteAt('m’en allant promener'), uri: 'https://chansons.example/fontaine', title: 'À la claire fontaine', license: 'public domain', publicationDate: { year: 1704, month: 0, day: 0 } },
            { ...quoteAt('🎵 J’ai trouvé l’eau si belle.'), title: 'Recueil de 1704', publicationDate: { year: 2019, month: 6, day: 3 } },
            { startIndex: 2, endIndex: 5, license: 'mit' },
          ],
        },
      },
    ],
    usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 20, totalTokenCount: 28, trafficType: 'ON_DEMAND' },
    modelVersion: 'gemini-2.5-pro',
    responseId: 'v3rtex',
  });

// --- A Vertex call whose arguments come whole in one part as `partialArgs` (no `willContinue`), as in
// js-genai's recording `chats function calling vertex-ai with streaming function calling arguments`;
// here with strings, nesting, a boolean and a null (js-genai's `PartialArg`: `nullValue: "NULL_VALUE"`),
// and a second, ordinary call in the same event.
const ONE_PART_CALL_BODY = event({
  candidates: [
    {
      content: {
        parts: [
          {
            functionCall: {
              name: 'book_table',
              partialArgs: [
                { jsonPath: '$.restaurant', stringValue: 'Café Zürich ☕' },
                { jsonPath: '$.party.size', numberValue: 4 },
                { jsonPath: '$.party.names[0]', stringValue: '美咲' },
                { jsonPath: '$.terrace', boolValue: true },
                { jsonPath: '$.note', nullValue: 'NULL_VALUE' },
              ],
            },
            thoughtSignature: 'CiQB4/H/XtVjZNFE',
          },
          { functionCall: { name: 'get_weather', args: { city: 'Zürich' } } },
        ],
        role: 'model',
      },
      finishReason: 'STOP',
    },
  ],
  usageMetadata: { promptTokenCount: 21, candidatesTokenCount: 13, thoughtsTokenCount: 44, totalTokenCount: 78, trafficType: 'ON_DEMAND' },
  modelVersion: 'gemini-3-pro-preview',
  responseId: '9BYuafX5HMLJ',
});

type Outcome = { chunks: Chunk[]; response: ChatResponse; error?: unknown };

describe('Gemini record-shaped bodies: grounding, Vertex citations, one-part partialArgs, tool-use usage', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());
  const inProcess = inProcessReplay();

  const run = async (body: string, cuts: number[], over: 'http' | 'in process'): Promise<Outcome> => {
    (over === 'http' ? server : inProcess).respondWith({ body: Buffer.from(body), cuts });
    const { chunks, error } = await collect(streamChat$('gemini', [{ role: 'user', content: 'replay' }], { baseURL: server.url, apiKey: 'test-replay-key' }));
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    return { chunks, response: fold.snapshot(), error };
  };
  /** whole over HTTP, then cut at random offsets in process: the same outcome each time */
  const everyWay = async (body: string, check: (outcome: Outcome) => void) => {
    check(await run(body, [], 'http'));
    const length = Buffer.byteLength(body);
    for (let seed = 1; seed <= 25; seed++) {
      const random = seededRandom(seed * 7919 + length);
      const cuts = randomCuts(random, length, 1 + Math.floor(random() * 12));
      try {
        check(await run(body, cuts, 'in process'));
      } catch (error) {
        throw new Error(`seed ${seed}, cuts [${cuts.join(', ')}]: ${(error as Error).message}`);
      }
    }
  };

  test('grounding: a citation per source and support, spans in string indices of the multi-byte answer, each source once in toResponse', async () => {
    await everyWay(GROUNDED_BODY, ({ chunks, response, error }) => {
      expect(error).toBeUndefined();
      expect(response.content).toBe(ANSWER);
      // each chunk cites only what no chunk cited before: the repeated grounding adds nothing
      const cited = chunks.filter((c) => c.citations);
      expect(cited).toHaveLength(1);
      expect(cited[0].citations).toEqual([
        { ...AAA, span: span('Le café ☕ de Zürich ouvre à 7 h.') },
        { ...AAA, span: span('東京の天気は晴れ 🌤️。') },
        { ...AAA, span: span('Fin : façade 👩‍👩‍👧 prête.') },
        { ...BBB, span: span('東京の天気は晴れ 🌤️。') },
        { ...BBB, span: span('return "😀 naïve"') },
        { ...BBB, span: span('Étapes') },
        BBB,
        CCC,
      ]);
      // every span is the text it says it is
      for (const c of cited[0].citations!) if (c.span) expect(ANSWER.slice(c.span.start, c.span.end)).toBe(c.span.text);
      // toResponse keeps each source once, in the order of the grounding chunks, with its first span
      expect(response.citations).toEqual([
        { ...AAA, span: span('Le café ☕ de Zürich ouvre à 7 h.') },
        { ...BBB, span: span('東京の天気は晴れ 🌤️。') },
        CCC,
      ]);
      expect(response.metadata.groundingMetadata).toEqual(GROUNDING);
      // the server's tool use is input: input + output = total
      expect(response.usage).toEqual({ inputTokens: 443, outputTokens: 178, totalTokens: 621, reasoningTokens: 120 });
      expect(response.finishReason).toBe('stop');
    });
  });

  test('Vertex citations: url, title, date and the quoted span, in string indices', async () => {
    await everyWay(VERTEX_BODY, ({ response, error }) => {
      expect(error).toBeUndefined();
      expect(response.content).toBe(VERTEX_TEXT);
      const at = (quote: string) => ({ start: VERTEX_TEXT.indexOf(quote), end: VERTEX_TEXT.indexOf(quote) + quote.length });
      expect(response.citations).toEqual([
        { url: 'https://chansons.example/fontaine', title: 'À la claire fontaine', date: '1704', span: at('m’en allant promener') },
        { title: 'Recueil de 1704', date: '2019-06-03', span: at('🎵 J’ai trouvé l’eau si belle.') },
      ]);
    });
  });

  test('a Vertex call whose arguments come whole as partialArgs in one part', async () => {
    await everyWay(ONE_PART_CALL_BODY, ({ response, error }) => {
      expect(error).toBeUndefined();
      expect(response.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments }))).toEqual([
        { name: 'book_table', arguments: { restaurant: 'Café Zürich ☕', party: { size: 4, names: ['美咲'] }, terrace: true, note: null } },
        { name: 'get_weather', arguments: { city: 'Zürich' } },
      ]);
      expect(response.finishReason).toBe('tool_calls');
      expect(response.usage).toEqual({ inputTokens: 21, outputTokens: 57, totalTokens: 78, reasoningTokens: 44 });
    });
  });
});
