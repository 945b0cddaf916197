import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Subscription } from 'rxjs';
import { streamChat$, type ChatMessage } from '../../lib';
import { mockBaseURL, seededRandom, startMockServer, type MockServer } from '../../testing';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = Number(process.env.RXLLM_CANCEL_CYCLES ?? (process.env.RXLLM_HEAVY ? 10_000 : 1_000));
const PROVIDERS = ['openai', 'openai-responses', 'azure', 'azure-responses', 'anthropic', 'gemini', 'mistral', 'perplexity', 'lmstudio', 'ollama'] as const;

/** Active handles that are not the test runner's own: sockets and timers. */
const activeResources = () => {
  const counts: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) counts[r] = (counts[r] ?? 0) + 1;
  return counts;
};

describe(`cancellation: ${CYCLES} subscribe/unsubscribe cycles at random points`, () => {
  let server: MockServer;
  beforeAll(async () => (server = await startMockServer({ chunkDelayMs: 1 })));
  afterAll(() => server.close());

  test('leave no open socket on the server, no timer or handle in the client, and the heap where it was', async () => {
    const seed = Number(process.env.RXLLM_SEED ?? Date.now() % 100_000);
    const random = seededRandom(seed);
    const cycles = async (count: number) => {
      let running = 0;
      const started: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const id = PROVIDERS[i % PROVIDERS.length];
        const messages: ChatMessage[] = [{ role: 'user', content: `cycle ${i % 50}` }];
        // unsubscribe after 0 to 6 chunks, or on a timer of 0 to 15 ms, whichever the draw says
        const afterChunks = Math.floor(random() * 7);
        const afterMs = random() < 0.5 ? Math.floor(random() * 15) : undefined;
        running++;
        started.push(
          new Promise<void>((done) => {
            let seen = 0;
            let subscription: Subscription | undefined = undefined;
            const stop = () => {
              subscription?.unsubscribe();
              running--;
              done();
            };
            subscription = streamChat$(id, messages, { baseURL: mockBaseURL(server, id), apiKey: 'k-cancel', timeout: { idleMs: 10_000, totalMs: 20_000 } }).subscribe({
              next: () => {
                if (++seen >= afterChunks && afterMs === undefined) setImmediate(stop);
              },
              error: () => setImmediate(stop),
              complete: () => setImmediate(stop),
            });
            if (afterMs !== undefined) setTimeout(stop, afterMs);
          }),
        );
        // keep about 50 in flight
        while (running >= 50) await new Promise((r) => setTimeout(r, 1));
      }
      await Promise.all(started);
    };
    const before = activeResources();
    try {
      // a warm-up and a first half, so that compiled code and caches are not taken for a leak;
      // then the second half must not grow the heap
      await cycles(300 + CYCLES / 2);
      server.requests.length = 0;
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      await cycles(CYCLES / 2);
      // the server sees every socket closed
      const until = Date.now() + 5000;
      while (server.openConnections() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(server.openConnections()).toBe(0);
      // no client-side sockets or timers are left (the test's own are compared against the start)
      await new Promise((r) => setTimeout(r, 50));
      const after = activeResources();
      expect(after.Timeout ?? 0).toBeLessThanOrEqual(before.Timeout ?? 0);
      expect(after.TCPSocketWrap ?? 0).toBeLessThanOrEqual(before.TCPSocketWrap ?? 0);
      // the server's own log of requests is the test's, not the client's
      server.requests.length = 0;
      gc();
      const grown = process.memoryUsage().heapUsed - heapBefore;
      expect(grown).toBeLessThan(3 * 1024 * 1024);
    } catch (error) {
      throw new Error(`seed ${seed}: ${(error as Error).message}`);
    }
  }, 300_000);
});
