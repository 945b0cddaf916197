import { createServer, type Server, type Socket } from 'node:net';

/** A running bad server: its address, what it saw, and how to stop it. */
export interface BadServer {
  port: number;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** the request heads received, in order (up to the blank line; a CONNECT's or a POST's) */
  heads: string[];
  /** connections accepted so far */
  connections(): number;
  /** connections open right now */
  openConnections(): number;
  /** settles when the n-th connection (from 0) has closed */
  closed(n: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback TCP server that hands every connection to `onConnection`: a stand-in for a server or
 * a proxy that misbehaves (accepts and never answers, closes during the handshake, …). Socket errors
 * are ignored. Request heads are recorded by `afterHead`.
 */
export async function startBadServer(onConnection: (socket: Socket, server: BadServer) => void, options: { allowHalfOpen?: boolean } = {}): Promise<BadServer> {
  const sockets = new Set<Socket>();
  const closings: Array<Promise<void>> = [];
  const bad = {} as BadServer;
  const server: Server = createServer({ allowHalfOpen: options.allowHalfOpen ?? false }, (socket) => {
    socket.on('error', () => undefined);
    sockets.add(socket);
    closings.push(new Promise((resolve) => socket.once('close', () => (sockets.delete(socket), resolve()))));
    onConnection(socket, bad);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  Object.assign(bad, {
    port,
    url: `http://127.0.0.1:${port}`,
    heads: [],
    connections: () => closings.length,
    openConnections: () => sockets.size,
    closed: (n: number) => closings[n],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  } satisfies BadServer);
  return bad;
}

/** Reads `socket` up to the end of the request head, records it in `server.heads`, then calls `then`. */
export function afterHead(socket: Socket, server: BadServer, then: (head: string) => void): void {
  let text = '';
  const onData = (bytes: Buffer) => {
    text += bytes.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    if (end === -1) return;
    socket.removeListener('data', onData);
    const head = text.slice(0, end);
    server.heads.push(head);
    then(head);
  };
  socket.on('data', onData);
}
