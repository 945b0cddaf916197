import { startMockServer, type MockServer, type MockServerOptions } from '../../testing';

/** How many trials a suite runs at once: each lane has its own mock server, so its own fault queue. */
export const LANES = 8;

/**
 * A pool of mock servers, one per lane, started in `beforeAll` and closed in `afterAll`. A lane
 * runs its trials one after another against its own server, so `queueFaults` keeps its meaning
 * (the next requests of that lane, in order) while the lanes run side by side.
 */
export function mockServerLanes(options: MockServerOptions = {}, lanes = LANES): { readonly servers: MockServer[] } {
  const pool = { servers: [] as MockServer[] };
  beforeAll(async () => {
    pool.servers = await Promise.all(Array.from({ length: lanes }, () => startMockServer(options)));
  });
  afterAll(() => Promise.all(pool.servers.map((server) => server.close())));
  return pool;
}

/**
 * Runs `trial` once for every item, as many at once as there are servers, each lane taking the next
 * item when its last one is done. Every item runs unless one fails; then no new one starts and the
 * failure of the lowest item index is thrown (trials are independent, so it is the one a sequential
 * run would have met first).
 */
export async function inLanes<T>(items: readonly T[], servers: readonly MockServer[], trial: (item: T, server: MockServer, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: Array<{ index: number; error: unknown }> = [];
  const lane = async (server: MockServer) => {
    while (next < items.length && failures.length === 0) {
      const index = next++;
      try {
        await trial(items[index], server, index);
      } catch (error) {
        failures.push({ index, error });
      }
    }
  };
  if (servers.length === 0) throw new Error('inLanes: no mock server (is mockServerLanes called in the describe block?)');
  await Promise.all(servers.map(lane));
  if (failures.length > 0) throw failures.sort((a, b) => a.index - b.index)[0].error;
}
