import { createResponseAccumulator, streamChat$, type ChatResponse } from '../../lib';
import { azure } from '../../providers/azure/azure';
import { azureResponses } from '../../providers/azure/azureResponses';
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
  describe('the Responses API streams recorded from Azure, read by azure-responses as the openai package reads them', () => {
    // four responses back to back in one file: read otherwise, see spec/conformance/openaiResponses.spec.ts
    const READ_OTHERWISE = new Set(['vercel-azure-azure-reasoning-encrypted-content.1']);
    const fixtures = externalFixtures('responses').filter((f) => /azure/i.test(f.server ?? '') && !READ_OTHERWISE.has(f.name));

    test('there are such streams', () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(7);
    });

    for (const fixture of fixtures) {
      test(fixture.name, async () => {
        const expected = externalExpected(fixture);
        server.respondWith({ body: externalBody(fixture), contentType: fixture.contentType });
        const before = server.received.length;
        const { chunks, error } = await collect(streamChat$(azureResponses, [{ role: 'user', content: 'replay' }], { apiKey: KEY, baseURL: `${server.url}/openai/v1` }));
        const fold = createResponseAccumulator();
        for (const chunk of chunks) fold.add(chunk);
        const response = fold.snapshot();
        expect(error).toBeUndefined();
        expect(response.content).toBe(expected.content);
        expect(response.reasoning).toBe(expected.reasoning);
        expect(response.toolCalls.map((call) => ({ name: call.name, arguments: call.arguments }))).toEqual(expected.toolCalls);
        expect(response.toolCalls.map((call) => call.id)).toEqual(expected.toolCallIds);
        expect(response.finishReason).toBe(expected.finish);
        for (const [name, count] of Object.entries(expected.usage ?? {})) expect(response.usage?.[name as keyof ChatResponse['usage'] & string]).toBe(count);
        expect(server.received[before].headers['api-key']).toBe(KEY);
      });
    }
  });
});
