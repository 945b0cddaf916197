import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { numberHeader } from './numberHeader';
import type { RouteResult } from './route';
import { routes } from './routes';

export interface MockServerOptions {
  /** default 0: a free port */
  port?: number;
  /** default 127.0.0.1; the server never listens on a public address unless told to */
  host?: string;
  /** pause between two streamed events, in ms (default 0); per request: header `x-mock-chunk-delay-ms` */
  chunkDelayMs?: number;
  /** pause before the first event, in ms (default 0); per request: header `x-mock-first-chunk-delay-ms` */
  firstChunkDelayMs?: number;
}

/** How a request the server received ended. */
export interface MockRequestEnd {
  /** true when the whole answer was written; false when the client went away first */
  completed: boolean;
  /** body bytes written to the client */
  bytesWritten: number;
}

/** A request the server received, for tests to inspect. */
export interface MockRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** settles when the response is finished or the client closed the connection */
  closed: Promise<MockRequestEnd>;
}

export interface MockServer {
  /** e.g. `http://127.0.0.1:40123` — a provider's base URL is this plus its prefix (`/v1` for OpenAI) */
  url: string;
  port: number;
  /** every request received, in order */
  requests: MockRequest[];
  /** connections open right now */
  openConnections(): number;
  close(): Promise<void>;
}

/**
 * Starts the mock LLM server on loopback: a real HTTP server that speaks the providers' wire
 * formats with a deterministic model (see `answerFor`), so tests and demos run without a key or
 * a network.
 *
 * @example
 * const server = await startMockServer();
 * streamChat$('openai', messages, { baseURL: `${server.url}/v1` }).subscribe({ complete: () => server.close() });
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const sockets = new Set<Socket>();
  const requests: MockRequest[] = [];

  const server = createServer((req, res) => {
    let settle!: (end: MockRequestEnd) => void;
    const record: MockRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: undefined,
      closed: new Promise((resolve) => (settle = resolve)),
    };
    requests.push(record);
    handle(req, res, record, settle, options);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function handle(req: IncomingMessage, res: ServerResponse, record: MockRequest, settle: (end: MockRequestEnd) => void, options: MockServerOptions) {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-allow-headers', '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  let bytesWritten = 0;
  let completed = false;
  res.on('close', () => settle({ completed, bytesWritten }));

  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    completed = true;
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    const text = Buffer.concat(parts).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      return sendJson(400, { error: { message: 'The request body is not valid JSON.', type: 'invalid_request_error', param: null, code: null } });
    }
    record.body = body;
    const url = new URL(req.url ?? '/', 'http://mock');
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (!match) return sendJson(404, { error: { message: `No route ${req.method} ${url.pathname}`, type: 'not_found', param: null, code: null } });
    const result: RouteResult = match.route({ body, headers: req.headers, params: match.params, query: url.searchParams });
    if ('json' in result) return sendJson(result.status ?? 200, result.json, result.headers);

    res.writeHead(200, { 'content-type': result.contentType, 'cache-control': 'no-cache', connection: 'keep-alive' });
    const firstDelay = numberHeader(req.headers, 'x-mock-first-chunk-delay-ms') ?? options.firstChunkDelayMs ?? 0;
    const delay = numberHeader(req.headers, 'x-mock-chunk-delay-ms') ?? options.chunkDelayMs ?? 0;
    deliver(result.stream, firstDelay, delay);
  });

  function sendJson(status: number, value: unknown, headers: Record<string, string> = {}) {
    const payload = JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(payload, () => {
      bytesWritten += Buffer.byteLength(payload);
      completed = true;
    });
  }

  function deliver(frames: string[], firstDelay: number, delay: number) {
    let i = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    res.on('close', () => timer !== undefined && clearTimeout(timer));
    const next = () => {
      timer = undefined;
      if (res.destroyed) return;
      if (delay === 0) {
        // no pacing: everything in one go, as a fast server on loopback would
        for (; i < frames.length; i++) write(frames[i]);
      } else if (i < frames.length) {
        write(frames[i++]);
      }
      if (i >= frames.length) {
        res.end(() => (completed = true));
        return;
      }
      timer = setTimeout(next, delay);
    };
    const write = (frame: string) => {
      bytesWritten += Buffer.byteLength(frame);
      res.write(frame);
    };
    if (firstDelay > 0) timer = setTimeout(next, firstDelay);
    else next();
  }
}

const compiled = Object.entries(routes).map(([key, route]) => {
  const [method, path] = key.split(' ');
  const names: string[] = [];
  const pattern = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, (_, name: string) => {
    names.push(name);
    return '([^/:]+)';
  });
  return { method, regex: new RegExp(`^${pattern}$`), names, route };
});

function matchRoute(method: string, pathname: string) {
  for (const r of compiled) {
    if (r.method !== method) continue;
    const m = r.regex.exec(pathname);
    if (!m) continue;
    const params: Record<string, string> = {};
    r.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
    return { route: r.route, params };
  }
  return undefined;
}
