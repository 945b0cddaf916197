import { isConfigError, streamChat$, type ContentPart, type ProviderId } from '../../lib';
import { answerFor, mockBaseURL, startMockServer, type MockServer } from '../../testing';
import { collect } from '../support/collect';

/** A 1×1 PNG, and a PDF's first bytes: base64 as a user's code reads them from disk. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n').toString('base64');
const NOTES = Buffer.from('Notizen: — 流れ 🙂\n  - indented item\n').toString('base64');
/** The question's text, with the white space and characters real prompts have. */
const QUESTION = 'What does this chart show?\n\n```yaml\nseries:\n  - name: 流量\n    unit: "MB/s"\n```\n';

const text = (t: string): ContentPart => ({ type: 'text', text: t });
/** The user turn of a request's messages (the system turn stays text, or goes elsewhere). */
const userTurn = (turns: unknown) => (turns as Array<Record<string, unknown>>).find((turn) => turn.role === 'user')!;
const image = { type: 'image', data: PNG, mediaType: 'image/png' } as const;
const imageURL = { type: 'image', url: 'https://example.com/chart.png', mediaType: 'image/png' } as const;
const pdf = { type: 'file', data: PDF, mediaType: 'application/pdf', name: 'report.pdf' } as const;
const pdfURL = { type: 'file', url: 'https://example.com/report.pdf', mediaType: 'application/pdf', name: 'report.pdf' } as const;

/**
 * Each provider with the parts its API takes, and the content its request must carry: the mock
 * server checks the shapes as the API does (testing/wire/contentParts.ts), and answers the text.
 */
const CASES: Array<{ id: ProviderId; parts: ContentPart[]; sent: (body: Record<string, unknown>) => unknown; wire: unknown; extra?: object }> = [
  {
    id: 'openai',
    parts: [text(QUESTION), image, imageURL, pdf],
    sent: (body) => userTurn(body.messages).content,
    wire: [
      { type: 'text', text: QUESTION },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } },
      { type: 'image_url', image_url: { url: imageURL.url } },
      { type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' } },
    ],
  },
  {
    id: 'azure',
    parts: [text(QUESTION), image],
    sent: (body) => userTurn(body.messages).content,
    wire: [{ type: 'text', text: QUESTION }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }],
  },
  {
    id: 'openai-responses',
    parts: [text(QUESTION), image, imageURL, pdf, pdfURL],
    sent: (body) => userTurn(body.input).content,
    wire: [
      { type: 'input_text', text: QUESTION },
      { type: 'input_image', image_url: `data:image/png;base64,${PNG}`, detail: 'auto' },
      { type: 'input_image', image_url: imageURL.url, detail: 'auto' },
      { type: 'input_file', file_data: `data:application/pdf;base64,${PDF}`, filename: 'report.pdf' },
      { type: 'input_file', file_url: pdfURL.url, filename: 'report.pdf' },
    ],
  },
  {
    id: 'anthropic',
    parts: [text(QUESTION), image, imageURL, pdf, pdfURL, { type: 'file', data: NOTES, mediaType: 'text/plain' }],
    sent: (body) => userTurn(body.messages).content,
    wire: [
      { type: 'text', text: QUESTION },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG } },
      { type: 'image', source: { type: 'url', url: imageURL.url } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF }, title: 'report.pdf' },
      { type: 'document', source: { type: 'url', url: pdfURL.url }, title: 'report.pdf' },
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'Notizen: — 流れ 🙂\n  - indented item\n' } },
    ],
  },
  {
    id: 'gemini',
    parts: [text(QUESTION), image, imageURL, pdf],
    sent: (body) => userTurn(body.contents).parts,
    wire: [
      { text: QUESTION },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { fileData: { mimeType: 'image/png', fileUri: imageURL.url } },
      { inlineData: { mimeType: 'application/pdf', data: PDF } },
    ],
  },
  {
    id: 'mistral',
    parts: [text(QUESTION), image, imageURL, pdfURL],
    sent: (body) => userTurn(body.messages).content,
    wire: [
      { type: 'text', text: QUESTION },
      { type: 'image_url', image_url: `data:image/png;base64,${PNG}` },
      { type: 'image_url', image_url: imageURL.url },
      { type: 'document_url', document_url: pdfURL.url, document_name: 'report.pdf' },
    ],
  },
  {
    id: 'ollama',
    parts: [text(QUESTION), image, image],
    sent: (body) => {
      const { content, images } = userTurn(body.messages);
      return { content, images };
    },
    wire: { content: QUESTION, images: [PNG, PNG] },
    extra: { model: 'llava' },
  },
];

describe('images and files in user messages', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const chat = (id: ProviderId, content: ContentPart[], extra: object = {}) =>
    streamChat$(id, [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content }], { baseURL: mockBaseURL(server, id), apiKey: 'k-parts', ...extra });

  test.each(CASES)('$id: each part in the API’s own shape, accepted by the mock server, the answer streamed', async ({ id, parts, sent, wire, extra }) => {
    const before = server.requests.length;
    const { chunks, error } = await collect(chat(id, parts, extra));
    expect(error).toBeUndefined();
    const request = server.requests[before];
    const body = request.body as Record<string, unknown>;
    // the system turn stays text; the user turn's parts are mapped in order
    expect(sent(body)).toEqual(wire);
    const expected = answerFor([{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: QUESTION }]).text;
    expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected);
  });

  test.each([
    ['ollama', imageURL, /messages\.1\.content\.1: expected a part ollama takes \(text, and images as base64 data\), got an image by URL/],
    ['ollama', pdf, /messages\.1\.content\.1: expected a part ollama takes .*got a file as base64 data \(application\/pdf\)/],
    ['openai', pdfURL, /messages\.1\.content\.1: expected a part openai takes \(text, images by URL or as base64 data, files as base64 data\), got a file by URL/],
    ['mistral', pdf, /messages\.1\.content\.1: expected a part mistral takes \(.*files by URL\), got a file as base64 data/],
    ['gemini', { type: 'image', url: 'https://example.com/chart.png' }, /messages\.1\.content\.1: expected a part gemini takes .*mediaType.*got an image by URL/],
    ['anthropic', { type: 'file', data: PDF, mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' }, /expected a part anthropic takes .*got a file as base64 data \(application\/vnd/],
  ] as Array<[ProviderId, ContentPart, RegExp]>)('%s: a part its API cannot take is a ConfigError naming the provider and the part; nothing is sent', async (id, part, message) => {
    const before = server.requests.length;
    const { chunks, error } = await collect(chat(id, [text('Look:'), part], id === 'ollama' ? { model: 'llava' } : {}));
    expect(chunks).toEqual([]);
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    // the error names the part's kind, never its bytes
    expect((error as Error).message).not.toContain(PDF);
    expect(server.requests.length).toBe(before);
  });

  test('an image outside a user turn is a ConfigError for every provider, before anything is sent', async () => {
    const before = server.requests.length;
    const { error } = await collect(
      streamChat$('openai', [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [text('See '), image] }, { role: 'user', content: 'and?' }], { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k' }),
    );
    expect((error as Error).message).toMatch(/messages\.1\.content\.1: expected text \(images and files go in user messages, not assistant messages\), got an image as base64 data/);
    expect(server.requests.length).toBe(before);
  });

  test.each([
    ['a part of no known type', { type: 'audio', data: 'x' }, /messages\.0\.content\.1: expected a text, image or file part, got {"type":"audio","data":"x"}/],
    ['an image with neither URL nor data', { type: 'image' }, /messages\.0\.content\.1\.(data|url): expected a non-empty string, got undefined/],
    ['inline data without its media type', { type: 'file', data: PDF }, /messages\.0\.content\.1\.mediaType: expected a non-empty string, got undefined/],
  ])('a malformed part is a ConfigError naming its path: %s', async (_, part, message) => {
    const before = server.requests.length;
    const { error } = await collect(streamChat$('openai', [{ role: 'user', content: [text('Look:'), part as never] }], { baseURL: mockBaseURL(server, 'openai'), apiKey: 'k' }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect(server.requests.length).toBe(before);
  });
});

describe('the mock server refuses the images and files the APIs refuse', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  const post = async (path: string, body: object, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer k', ...headers }, body: JSON.stringify(body) });
    return { status: response.status, text: await response.text() };
  };

  test.each([
    ['Chat Completions: an image in an assistant turn', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: [{ type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }] }, /Image URLs are only allowed for messages with role 'user'/],
    ['Chat Completions: a data URL that is not base64', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,not base64!' } }] }] }, /image_url\.url/],
    ['Chat Completions: a file without its filename', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: `data:application/pdf;base64,${PDF}` } }] }] }, /file\.filename/],
    ['Chat Completions: a part of an unknown type', '/v1/chat/completions', { model: 'gpt-4o', messages: [{ role: 'user', content: [{ type: 'image', data: PNG }] }] }, /Invalid value: 'image'/],
    ['Responses: an input_image without a URL', '/v1/responses', { model: 'gpt-5-mini', input: [{ role: 'user', content: [{ type: 'input_image' }] }] }, /input\[0\]\.content\[0\]\.image_url/],
    ['Anthropic: an image of a type it does not read', '/v1/messages', { model: 'claude-sonnet-4-6', max_tokens: 100, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/tiff', data: PNG } }] }] }, /messages\[0\]\.content\[0\]\.source/],
    ['Gemini: inline data without its MIME type', '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse', { contents: [{ role: 'user', parts: [{ text: 'x' }, { inlineData: { data: PNG } }] }] }, /mime_type is required/],
    ['Ollama: an image that is not base64', '/api/chat', { model: 'llava', messages: [{ role: 'user', content: 'x', images: ['https://example.com/a.png'] }] }, /images must be base64-encoded/],
    ['Mistral: an inline document', '/v1/chat/completions', { model: 'mistral-small-latest', messages: [{ role: 'user', content: [{ type: 'document_url', document_url: `data:application/pdf;base64,${PDF}` }] }] }, /expected a text, image_url or document_url chunk/],
  ])('%s: 400', async (_, path, body, message) => {
    const { status, text } = await post(path, body, path === '/v1/messages' ? { 'anthropic-version': '2023-06-01', 'x-api-key': 'k' } : path.startsWith('/v1beta') ? { 'x-goog-api-key': 'k' } : {});
    expect(status).toBe(400);
    expect(text).toMatch(message);
  });
});
