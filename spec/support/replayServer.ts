import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface ReplayResponse {
  body: Buffer;
  /** byte offsets where the body is cut into separate writes, a pause between them */
  cuts?: number[];
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * A loopback server that answers each request with the next queued body, byte for byte, written
 * in pieces at the given offsets with a pause between them, so the client reads them separately.
 */
export async function startReplayServer() {
  const queue: ReplayResponse[] = [];
  const received: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (p: Buffer) => parts.push(p));
    req.on('end', async () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(parts).toString('utf8') });
      const next = queue.shift();
      if (!next) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end('replay server: no response queued');
        return;
      }
      res.writeHead(next.status ?? 200, { 'content-type': next.contentType ?? 'text/event-stream', ...next.headers });
      res.flushHeaders();
      let at = 0;
      for (const cut of [...(next.cuts ?? []), next.body.length]) {
        if (cut <= at) continue;
        if (res.destroyed) return;
        res.write(next.body.subarray(at, cut));
        at = cut;
        if (at < next.body.length) await new Promise((r) => setTimeout(r, 2));
      }
      res.end();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.setNoDelay(true);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    respondWith(response: ReplayResponse) {
      queue.push(response);
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** `count` sorted distinct offsets inside (0, length), from a seeded generator. */
export function randomCuts(random: () => number, length: number, count: number): number[] {
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count, length - 1)) cuts.add(1 + Math.floor(random() * (length - 1)));
  return [...cuts].sort((a, b) => a - b);
}
