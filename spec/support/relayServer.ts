import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat$, type ChatRelay } from '../../lib';
import { answerFor, type MockServer } from '../../testing';
import { collect } from './collect';

/** Relays on a plain Node server (the body read as JSON first), and what passed through them. */
export interface RelayServer {
  /** the relay's URL: `http://127.0.0.1:<port>/api/chat` */
  url: string;
  /** the raw text of every answer written, in order */
  written: string[];
  /** which relay (by index) answered each request, in order */
  answeredBy: number[];
  /** drops the next answer's connection once this many writes reached the client */
  dropAfterEvents(n: number): void;
  close(): Promise<void>;
}

/**
 * A server in front of `relays`, as a load balancer would be: request n goes to relay n mod their
 * number, so with two, a reconnect reaches the other instance.
 */
export async function startRelayServer(relays: readonly ChatRelay[]): Promise<RelayServer> {
  const written: string[] = [];
  const answeredBy: number[] = [];
  let drop: number | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const index = written.push('') - 1;
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      let writes = 0;
      const dropAt = drop;
      drop = undefined;
      res.write = ((chunk: string) => {
        written[index] += chunk;
        if (dropAt === undefined) return write(chunk);
        writes++;
        // the connection drops once the writes so far reached the client: nothing after them is sent
        if (writes === dropAt) return write(chunk, () => res.socket?.destroy());
        return writes < dropAt ? write(chunk) : true;
      }) as typeof res.write;
      res.end = ((chunk?: string) => ((written[index] += chunk ?? ''), end(chunk))) as typeof res.end;
      const relay = index % relays.length;
      answeredBy.push(relay);
      relays[relay].handle({ method: req.method, headers: req.headers, body: text ? JSON.parse(text) : undefined }, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`,
    written,
    answeredBy,
    dropAfterEvents: (n) => (drop = n),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/**
 * Streams `messages` from the page's side (`streamChat$('rxllm', …)` with recovery) while the relay
 * drops the connection once after `dropAfter` writes, and checks what the page got: no error, the
 * mock model's whole answer, `seq` contiguous from 0. Resolves with how many requests the provider
 * (the mock server) received meanwhile.
 */
export async function streamThroughDrop(relay: RelayServer, mock: MockServer, messages: Array<{ role: 'user'; content: string }>, dropAfter: number): Promise<number> {
  const before = mock.requests.length;
  relay.dropAfterEvents(dropAfter);
  const { chunks, error } = await collect(streamChat$('rxllm', messages, { baseURL: relay.url, streamRecovery: true, recovery: { delay: 0 } }));
  expect(error).toBeUndefined();
  expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(messages).text);
  expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  return mock.requests.length - before;
}
