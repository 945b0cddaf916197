import { createResponseAccumulator, streamChat$, type ChatResponse } from '../../lib';
import { azure } from '../../providers/azure/azure';
import { collect } from '../support/collect';
import { externalBody, externalExpected, externalFixtures } from '../support/externalFixtures';
import { startReplayServer } from '../support/replayServer';

const KEY = 'azure-key-7f3c9e1d2b';

describe('Azure OpenAI conformance on a stream recorded from Azure', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  test('reads a stream recorded from Azure (its content filter chunks around the answer) as the peer read it', async () => {
    const fixture = externalFixtures('chat-completions').find((f) => f.name === 'vercel-openai-azure-model-router.1')!;
    const expected = externalExpected(fixture);
    server.respondWith({ body: externalBody(fixture), cuts: [700, 1500] });
    const before = server.received.length;
    const { chunks, error } = await collect(
      streamChat$(azure, [{ role: 'user', content: 'Capital of Denmark?' }], { apiKey: KEY, baseURL: `${server.url}/openai`, deployment: 'model-router', apiVersion: '2024-10-21' }),
    );
    const fold = createResponseAccumulator();
    for (const chunk of chunks) fold.add(chunk);
    const response = fold.snapshot();
    expect(error).toBeUndefined();
    expect(response).toMatchObject({ id: expected.id, model: expected.model, content: expected.content, finishReason: expected.finish });
    for (const [name, count] of Object.entries(expected.usage ?? {})) expect(response.usage?.[name as keyof ChatResponse['usage'] & string]).toBe(count);
    const [request] = server.received.slice(before);
    expect(request.path).toBe('/openai/deployments/model-router/chat/completions?api-version=2024-10-21');
    expect(request.headers['api-key']).toBe(KEY);
    expect(request.headers.authorization).toBeUndefined();
  });
});
