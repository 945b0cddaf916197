import { firstValueFrom, take, toArray } from 'rxjs';
import { isConfigError, streamChat$ } from '../../lib';
import { azureResponses } from '../../providers/azure/azureResponses';
import { collect } from '../support/collect';
import { startReplayServer } from '../support/replayServer';

const KEY = 'azure-key-3a9b8c7d6e';
const user = [{ role: 'user' as const, content: 'Write the YAML.' }];
const ANSWER = 'services:\n  web:\n    image: "nginx:1.27"\n    ports:\n      - "8080:80"\n';

/** A background Responses stream of ANSWER in 8 deltas, each event numbered; `upTo`: the last event sent. */
function background(id: string, from = 0, upTo = Infinity): Buffer {
  const response = (status: string) => ({ id, object: 'response', model: 'gpt-5-mini', status, background: true, store: true, output: [] });
  const payloads: Array<Record<string, unknown>> = [{ type: 'response.created', response: response('queued') }];
  for (let at = 0; at < ANSWER.length; at += 8) payloads.push({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 0, content_index: 0, delta: ANSWER.slice(at, at + 8) });
  payloads.push({ type: 'response.completed', response: { ...response('completed'), usage: { input_tokens: 9, output_tokens: 30, total_tokens: 39 } } });
  const frames = payloads.map((payload, n) => `event: ${String(payload.type)}\ndata: ${JSON.stringify({ ...payload, sequence_number: n })}\n\n`);
  return Buffer.from(frames.slice(from, Math.min(upTo + 1, frames.length)).join(''));
}

describe('azure-responses provider (the Responses API on Azure, v1 form)', () => {
  let server: Awaited<ReturnType<typeof startReplayServer>>;
  beforeAll(async () => {
    server = await startReplayServer();
  });
  afterAll(() => server.close());

  test('POSTs to {baseURL}/responses with the key as api-key (no Bearer), the deployment as model', () => {
    const request = azureResponses.buildRequest(user, { model: 'my-gpt5', baseURL: 'https://acme.openai.azure.com/openai/v1', apiKey: KEY, background: true });
    expect(request.url).toBe('https://acme.openai.azure.com/openai/v1/responses');
    expect(request.headers).toEqual({ accept: 'text/event-stream', 'api-key': KEY });
    expect(request.body).toMatchObject({ model: 'my-gpt5', input: [{ role: 'user', content: 'Write the YAML.' }], stream: true, background: true, store: true });
  });

  test('no endpoint is a ConfigError naming the v1 form; nothing is sent', async () => {
    const before = server.received.length;
    const { error } = await collect(streamChat$(azureResponses, user, { apiKey: KEY }));
    expect(isConfigError(error)).toBe(true);
    expect((error as Error).message).toContain('openai.azure.com/openai/v1');
    expect(server.received.length).toBe(before);
  });

  test('a background response resumes on Azure too: the GET carries the same authentication (a fresh Entra token, or the key)', async () => {
    for (const auth of [{ apiKey: KEY }, { azureADTokenProvider: async () => `eyJ.token-${server.received.length}` }]) {
      const before = server.received.length;
      server.respondWith({ body: background('resp_az1', 0, 4) });
      server.respondWith({ body: background('resp_az1', 5) });
      const { chunks, error } = await collect(
        streamChat$(azureResponses, user, { baseURL: `${server.url}/openai/v1`, background: true, streamRecovery: true, recovery: { delay: 0 }, ...auth }),
      );
      expect(error).toBeUndefined();
      expect(chunks.map((c) => c.content ?? '').join('')).toBe(ANSWER);
      const [created, resumed] = server.received.slice(before);
      expect(resumed.path).toBe('/openai/v1/responses/resp_az1?stream=true&starting_after=4');
      if ('apiKey' in auth) expect([created.headers['api-key'], resumed.headers['api-key']]).toEqual([KEY, KEY]);
      else expect([created.headers.authorization, resumed.headers.authorization]).toEqual([`Bearer eyJ.token-${before}`, `Bearer eyJ.token-${before + 1}`]);
    }
  });
  test('the cancel of a background response left early carries a fresh Entra token too (a side request makes its credentials as it goes out)', async () => {
    const before = server.received.length;
    let made = 0;
    server.respondWith({ body: background('resp_az2'), cuts: [400, 800] });
    server.respondWith({ body: Buffer.from(JSON.stringify({ id: 'resp_az2', status: 'cancelled' })), contentType: 'application/json' });
    const first = await firstValueFrom(
      streamChat$(azureResponses, user, { baseURL: `${server.url}/openai/v1`, background: true, azureADTokenProvider: async () => `eyJ.cancel-${++made}` }).pipe(take(2), toArray()),
    );
    expect(first).toHaveLength(2);
    for (let waited = 0; server.received.length - before < 2 && waited < 1000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const [created, cancel] = server.received.slice(before);
    expect(cancel.path).toBe('/openai/v1/responses/resp_az2/cancel');
    expect([created.headers.authorization, cancel.headers.authorization]).toEqual(['Bearer eyJ.cancel-1', 'Bearer eyJ.cancel-2']);
  });
});
