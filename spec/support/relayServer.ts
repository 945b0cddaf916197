import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamChat$, type ChatRelay } from '../../lib';
import { answerFor, type MockServer } from '../../testing';
import { collect } from './collect';

/** A request a relay route answered: what came in, and how its answer ended. */
export interface RelayExchange {
  method: string;
  headers: IncomingHttpHeaders;
  /** the answer's status, once the connection closed */
  status?: number;
  /** once the connection closed: whether the whole answer was written (false: the client left, or the connection dropped) */
  completed?: boolean;
}

/** Relays answering requests on a Node server (the body read as JSON first), and what passed through them. */
export interface RelayRoute {
  /** answers one request: Node's `(req, res)`, for a server of one's own */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** the raw text of every answer written, in order */
  written: string[];
  /** which relay (by index) answered each request, in order */
  answeredBy: number[];
  /** every request, in order (same index as `written`) */
  exchanges: RelayExchange[];
  /** drops the next answer's connection once this many writes reached the client */
  dropAfterEvents(n: number): void;
}

/** Relays on a plain Node server of their own. */
export interface RelayServer extends Omit<RelayRoute, 'handle'> {
  /** the relay's URL: `http://127.0.0.1:<port>/api/chat` */
  url: string;
  close(): Promise<void>;
}

/**
 * `relays` behind one route, as a load balancer would put them: request n goes to relay n mod their
 * number, so with two, a reconnect reaches the other instance.
 */
export function relayRoute(relays: readonly ChatRelay[]): RelayRoute {
  const written: string[] = [];
  const answeredBy: number[] = [];
  const exchanges: RelayExchange[] = [];
  let drop: number | undefined;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const exchange: RelayExchange = { method: req.method ?? 'GET', headers: req.headers };
    res.on('close', () => Object.assign(exchange, { status: res.statusCode, completed: res.writableFinished }));
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      const text = Buffer.concat(parts).toString('utf8');
      const index = written.push('') - 1;
      exchanges[index] = exchange;
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
  };
  return { handle, written, answeredBy, exchanges, dropAfterEvents: (n) => (drop = n) };
}

/** `relayRoute(relays)` on a server of its own, on loopback. */
export async function startRelayServer(relays: readonly ChatRelay[]): Promise<RelayServer> {
  const { handle, ...route } = relayRoute(relays);
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    ...route,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/**
 * Streams `messages` from the page's side (`streamChat$('rxllm', …)` with recovery) while the relay
 * drops the connection once after `dropAfter` writes, and checks what the page got: no error, the
 * whole answer (`expected`, by default the mock model's), `seq` contiguous from 0. Resolves with how many requests the provider
 * (the mock server) received meanwhile.
 */
export async function streamThroughDrop(
  relay: RelayServer,
  mock: MockServer,
  messages: Array<{ role: 'user'; content: string }>,
  dropAfter: number,
  expected = answerFor(messages).text,
): Promise<number> {
  const before = mock.requests.length;
  relay.dropAfterEvents(dropAfter);
  const { chunks, error } = await collect(streamChat$('rxllm', messages, { baseURL: relay.url, streamRecovery: true, recovery: { delay: 0 } }));
  expect(error).toBeUndefined();
  expect(chunks.map((c) => c.content ?? '').join('')).toBe(expected);
  expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  return mock.requests.length - before;
}
