import { inspect } from 'node:util';
import { isRxllmError, streamChat$, type ChatMessage, type ChatResponse, type ProviderId, type StreamMetrics } from '../../lib';
import { mockBaseURL, seededRandom, type MockFault, type MockServer } from '../../testing';
import { collect } from '../support/collect';
import { otelHarness, spanText } from '../otel/otelHarness';
import { inLanes, mockServerLanes } from '../support/lanes';

/**
 * The built-in providers: the Responses API also in background mode, where recovery resumes exactly
 * instead of continuing; Azure OpenAI with its key (sent as `api-key`) and, on its Responses API, with
 * an Entra ID token instead (`KEY` is then the token): both scanned for like the other keys.
 */
const PROVIDERS: ReadonlyArray<{ name: string; provider: ProviderId; extra?: object }> = [
  ...['openai', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama', 'openai-responses'].map((id) => ({ name: id, provider: id as ProviderId })),
  { name: 'openai-responses (background)', provider: 'openai-responses', extra: { background: true } },
  // the mock model's answer to this prompt is ASCII only: an answer of its own, with characters of two to
  // four bytes, gives the cuts inside a character something to cut
  { name: 'azure', provider: 'azure', extra: { headers: { 'x-mock-answer': Buffer.from('Ströme „fließen“ — 流れは続く 🙂.\n  - a nested item\n\nThe end.').toString('base64') } } },
  { name: 'azure-responses (Entra ID token)', provider: 'azure-responses', extra: { apiKey: undefined, azureADTokenProvider: async () => KEY } },
];
/** trials per provider; the full run (RXLLM_HEAVY=1) does 1,000 */
const TRIALS = Number(process.env.RXLLM_MATRIX_TRIALS ?? (process.env.RXLLM_HEAVY ? 1000 : 60));
const KEY = 'sk-matrix-SECRET-7f3a9c0d1e2b';

/** Offsets of a body by where they cut: inside a UTF-8 character, between two events, anywhere in a line. */
function offsets(body: Buffer) {
  const insideCharacter: number[] = [];
  const betweenEvents: number[] = [];
  for (let i = 1; i < body.length; i++) {
    if ((body[i] & 0xc0) === 0x80) insideCharacter.push(i);
    if (body[i - 1] === 0x0a && (body[i - 2] === 0x0a || body[i - 2] === 0x0d || body[i] !== 0x0a)) betweenEvents.push(i);
  }
  return { insideCharacter, betweenEvents, length: body.length };
}

describe(`fault matrix: ${TRIALS} random faults per provider, with recovery on and off`, () => {
  // the trials run side by side, each lane on its own server (its own fault queue), so the
  // timeouts of the stall and hang faults are waited out together
  const lanes = mockServerLanes();

  test.each(PROVIDERS)('$name', async ({ name, provider: id, extra }) => {
    const seed = Number(process.env.RXLLM_SEED ?? 1000 + PROVIDERS.findIndex((p) => p.name === name));
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const messages: ChatMessage[] = [{ role: 'user', content: `The fault matrix asks ${id} — with “quotes” — for an answer.` }];
    const options = (server: MockServer, more: object) => ({ baseURL: mockBaseURL(server, id), apiKey: KEY, model: id === 'ollama' ? 'llama3.2' : undefined, ...extra, ...more });

    // the clean answer, and the clean body to aim the byte faults at
    const server = lanes.servers[0];
    const before = server.requests.length;
    const clean = await collect(streamChat$(id, messages, options(server, {})));
    const expected = clean.chunks.map((c) => c.content ?? '').join('');
    const request = server.requests[before];
    const raw = Buffer.from(await (await fetch(`${server.url}${request.path}`, { method: 'POST', headers: request.headers as Record<string, string>, body: JSON.stringify(request.body) })).arrayBuffer());
    const where = offsets(raw);
    // (Mistral's serializer escapes non-ASCII as \uXXXX: its bodies have no multi-byte character to cut)
    if (id !== 'mistral') expect(where.insideCharacter.length).toBeGreaterThan(0);

    const faultOf = (): { fault: MockFault; timeout?: object } => {
      switch (Math.floor(random() * 10)) {
        case 0:
          return { fault: { kind: 'reset', afterBytes: where.insideCharacter.length ? pick(where.insideCharacter) : 1 + Math.floor(random() * (where.length - 1)) } };
        case 1:
          return { fault: { kind: 'reset', afterBytes: pick(where.betweenEvents) } };
        case 2:
          return { fault: { kind: 'reset', afterBytes: 1 + Math.floor(random() * (where.length - 1)) } };
        // the limits leave a clean retry room for the lag of eight lanes on a loaded machine; the
        // lanes wait them out together
        case 3:
          return { fault: { kind: 'stall', afterBytes: Math.floor(random() * where.length), ms: 750 }, timeout: { idleMs: 250 } };
        case 4:
          return { fault: { kind: 'status', status: pick([429, 500, 503, 529]), retryAfter: '0' } };
        case 5:
          return { fault: { kind: 'error-event', afterChunks: Math.floor(random() * 8) } };
        case 6:
          return { fault: { kind: 'malformed', afterChunks: Math.floor(random() * 8) } };
        case 7:
          return { fault: { kind: 'truncate' } };
        case 8:
          return { fault: { kind: 'hang' }, timeout: { firstChunkMs: 250 } };
        default:
          return { fault: { kind: 'close-before-headers' } };
      }
    };

    // every run traced (contents recorded, so that they are scanned too); the spans scanned at the end
    const otel = otelHarness({ recordContent: true });
    const leaks: string[] = [];
    const scan = (what: string, value: unknown) => {
      const text = `${JSON.stringify(value, (_, v) => (v instanceof Error ? { ...v, message: v.message, stack: v.stack } : v))}\n${inspect(value, { depth: 8 })}`;
      if (text.includes(KEY)) leaks.push(what);
    };

    // every trial's fault, drawn in trial order from the seed
    const trials = Array.from({ length: TRIALS }, faultOf);
    await inLanes(trials, lanes.servers, async ({ fault, timeout }, server, trial) => {
      const label = `seed ${seed}, trial ${trial}, fault ${JSON.stringify(fault)}`;
      try {
        // recovery on: the answer equals the uninterrupted one
        server.queueFaults(fault);
        const metrics: StreamMetrics[] = [];
        const recovered = await collect(
          streamChat$(id, messages, options(server, { timeout, streamRecovery: true, recovery: { delay: 0 }, onMetrics: (m: StreamMetrics) => metrics.push(m), telemetry: otel.telemetry })),
        );
        server.clearFaults();
        expect(recovered.error).toBeUndefined();
        expect(recovered.chunks.map((c) => c.content ?? '').join('')).toBe(expected);
        metrics.forEach((m) => scan('metrics', m));

        // recovery off: a typed error whose partial is what the subscriber received (or, when the fault
        // fell after the finish, the whole answer)
        server.queueFaults(fault);
        const plain = await collect(streamChat$(id, messages, options(server, { timeout, telemetry: otel.telemetry })));
        server.clearFaults();
        const received = plain.chunks.map((c) => c.content ?? '').join('');
        if (plain.error === undefined) {
          expect(received).toBe(expected);
        } else {
          expect(isRxllmError(plain.error)).toBe(true);
          expect((plain.error as { partial?: ChatResponse }).partial?.content).toBe(received);
          scan(`error ${(plain.error as Error).name}`, plain.error);
        }
      } catch (error) {
        throw new Error(`${label}: ${(error as Error).message}`);
      }
    });
    // each run one span, ended once; no span attribute, event or status, and no metric, holds the key
    const spans = otel.spans();
    expect(spans).toHaveLength(2 * TRIALS);
    spans.forEach((span) => {
      if (spanText(span).includes(KEY)) leaks.push(`span ${span.name}`);
    });
    scan('OpenTelemetry metrics', await otel.histograms());
    await otel.shutdown();
    expect(leaks).toEqual([]);
  }, 300_000);
});
