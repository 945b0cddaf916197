import OpenAI from 'openai';
import { lastValueFrom } from 'rxjs';
import { streamChat$, toResponse } from '../../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../../testing';

/**
 * The mock server's Chat Completions route streams `url_citation` annotations (`x-mock-url-citations:
 * n`) and a custom tool call (`x-mock-custom-tool: <name>`) when a test asks; the official `openai`
 * package reads the same stream, and its reading and rxllm's agree.
 */
describe('mock Chat Completions: url citations and custom tool calls, read by the openai package and by rxllm', () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer()));
  afterAll(() => server.close());

  // an emoji before the cited sentences: the API counts characters, JavaScript strings count UTF-16 units
  const answer = 'Rust 🦀 is fast. 東京 is big! The third one is not cited.';
  const headers = (extra: Record<string, string>) => ({ 'x-mock-answer': Buffer.from(answer, 'utf8').toString('base64'), ...extra });
  const messages = [{ role: 'user' as const, content: 'Cite your sources' }];

  test('url_citation annotations: the same sources, and the same cited text, by the SDK (character offsets) and rxllm (string spans)', async () => {
    const client = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock', maxRetries: 0 });
    const stream = client.chat.completions.stream({ model: 'gpt-4o-search-preview', messages }, { headers: headers({ 'x-mock-url-citations': '2' }) });
    const message = (await stream.finalChatCompletion()).choices[0].message as OpenAI.ChatCompletionMessage;
    const chars = Array.from(message.content ?? '');
    const sdk = (message.annotations ?? []).map(({ url_citation: c }) => ({ url: c.url, title: c.title, text: chars.slice(c.start_index, c.end_index).join('') }));

    const response = await lastValueFrom(
      streamChat$('openai', messages, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock', model: 'gpt-4o-search-preview', headers: headers({ 'x-mock-url-citations': '2' }) }).pipe(toResponse()),
    );
    const ours = response.citations.map((c) => ({ url: c.url, title: c.title, text: response.content.slice(c.span!.start, c.span!.end) }));

    expect(response.content).toBe(message.content);
    expect(sdk).toEqual([
      { url: 'https://source-1.example/', title: 'Source 1', text: 'Rust 🦀 is fast.' },
      { url: 'https://source-2.example/', title: 'Source 2', text: '東京 is big!' },
    ]);
    expect(ours).toEqual(sdk);
  });

  test('a custom tool call: the same name and free-text input from the SDK’s chunks and from rxllm', async () => {
    const client = new OpenAI({ baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock', maxRetries: 0 });
    const chunks = await client.chat.completions.create({ model: 'gpt-5', messages, stream: true }, { headers: headers({ 'x-mock-custom-tool': 'write_note' }) });
    // the SDK decodes the events; its chunk type has no `custom` yet, so its fragments are read as they come
    const sdk = { id: '', name: '', input: '', type: '', finish: '' };
    for await (const chunk of chunks) {
      const choice = chunk.choices[0];
      if (!choice) continue;
      for (const call of (choice.delta.tool_calls ?? []) as Array<{ id?: string; type?: string; custom?: { name?: string; input?: string } }>) {
        if (call.id) sdk.id = call.id;
        if (call.type) sdk.type = call.type;
        if (call.custom?.name) sdk.name = call.custom.name;
        sdk.input += call.custom?.input ?? '';
      }
      if (choice.finish_reason) sdk.finish = choice.finish_reason;
    }

    const response = await lastValueFrom(
      streamChat$('openai', messages, { baseURL: mockBaseURL(server, 'openai'), apiKey: 'sk-mock', model: 'gpt-5', headers: headers({ 'x-mock-custom-tool': 'write_note' }) }).pipe(toResponse()),
    );

    expect(sdk).toMatchObject({ type: 'custom', name: 'write_note', input: answer, finish: 'tool_calls' });
    expect(response.toolCalls).toEqual([{ index: 0, id: sdk.id, name: sdk.name, arguments: sdk.input, argumentsText: sdk.input, custom: true }]);
    expect(response.content).toBe('');
    expect(response.finishReason).toBe('tool_calls');
  });
});
