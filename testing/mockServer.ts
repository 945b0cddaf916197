import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerHeaders } from './answerHeaders';
import { deliverySteps, type DeliveryStep, type Pacing } from './deliverySteps';
import { faultedFrames, isFrameFault } from './faultedFrames';
import { asMockFault, type MockFault } from './mockFault';
import { numberHeader } from './numberHeader';
import { PROXY_SIGN_IN_PAGE } from './proxySignInPage';
import type { RouteInput, RouteResult } from './route';
import { routes } from './routes';
import { createServerMemory, type ServerMemory } from './serverMemory';

/** How the mock server listens, paces its streams and which faults it starts with. */
export interface MockServerOptions {
  /** default 0: a free port */
  port?: number;
  /** default 127.0.0.1; the server never listens on a public address unless told to */
  host?: string;
  /** pause between two streamed events, in ms (default 0); per request: header `x-mock-chunk-delay-ms` */
  chunkDelayMs?: number;
  /** pause before the first event, in ms (default 0); per request: header `x-mock-first-chunk-delay-ms` */
  firstChunkDelayMs?: number;
  /** the fault queue to start with (see `MockServer.queueFaults`) */
  faults?: ReadonlyArray<MockFault | null>;
}

/** How a request the server received ended. */
export interface MockRequestEnd {
  /** true when the whole answer was written; false when the client went away first, or a fault cut it */
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
  /** the fault applied to this request's answer, `null` for a clean answer */
  fault: MockFault | null;
  /** body bytes written to the client so far */
  bytesWritten: number;
  /** settles when the response is finished or the connection closed */
  closed: Promise<MockRequestEnd>;
}

/** A running mock server: its address, what it received, its fault queue, and how to stop it. */
export interface MockServer {
  /** e.g. `http://127.0.0.1:40123` — a provider's base URL is this plus its prefix (`/v1` for OpenAI) */
  url: string;
  port: number;
  /** every request received, in order */
  requests: MockRequest[];
  /**
   * Adds faults to the queue: each next request (in arrival order) takes the next one, `null`
   * meaning a clean answer; once the queue is empty, answers are clean. A request with an
   * `x-mock-fault` header takes that fault instead and leaves the queue alone.
   */
  queueFaults(...faults: Array<MockFault | null>): void;
  /** empties the fault queue: the next answers are clean */
  clearFaults(): void;
  /** connections open right now */
  openConnections(): number;
  close(): Promise<void>;
}

/** The request header that carries a fault (JSON) for that request only. */
const FAULT_HEADER = 'x-mock-fault';

/**
 * Starts the mock LLM server on loopback: a real HTTP server that speaks the providers' wire
 * formats with a deterministic model (see `answerFor`), so tests and demos run without a key or
 * a network. Request headers shape the answer on every route (`x-mock-answer`, `x-mock-sentences`,
 * `x-mock-repeat`, and `x-mock-split` for where its text's deltas end: see `answerHeaders`; an
 * unreadable one gets the API's 400). It injects faults on demand (see `MockFault`): per request
 * with an `x-mock-fault` header, or from a queue (`faults` here, `queueFaults` later) that fails
 * the next requests in order. What a stateful API keeps between
 * requests — the Responses API's background responses, streamed again and cancelled — it keeps per
 * server (see `ServerMemory`), so two servers share nothing.
 *
 * @example
 * const server = await startMockServer({ faults: [{ kind: 'reset', afterBytes: 300 }, null] });
 * streamChat$('openai', messages, { baseURL: `${server.url}/v1` }).subscribe({ complete: () => server.close() });
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const sockets = new Set<Socket>();
  const requests: MockRequest[] = [];
  const queue: Array<MockFault | null> = [];
  const queueFaults = (...faults: Array<MockFault | null>) => {
    for (const fault of faults) queue.push(fault === null ? null : asMockFault(fault));
  };
  queueFaults(...(options.faults ?? []));
  // what the routes keep between requests (background responses), this server's own
  const memory = createServerMemory();

  const server = createServer((req, res) => {
    let settle!: (end: MockRequestEnd) => void;
    const record: MockRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: undefined,
      fault: null,
      bytesWritten: 0,
      closed: new Promise((resolve) => (settle = resolve)),
    };
    requests.push(record);
    // faults are taken in arrival order, before the body is read
    const fault = req.method === 'OPTIONS' ? { fault: null } : takeFault(req.headers, queue);
    handle(req, res, record, settle, fault, options, memory);
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
    queueFaults,
    clearFaults: () => void queue.splice(0),
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A request's fault: its header's, else the queue's next; or why the header is unusable. */
type TakenFault = { fault: MockFault | null } | { badHeader: string };

function takeFault(headers: IncomingHttpHeaders, queue: Array<MockFault | null>): TakenFault {
  const header = headers[FAULT_HEADER];
  if (typeof header !== 'string') return { fault: queue.length > 0 ? (queue.shift() ?? null) : null };
  try {
    const value: unknown = JSON.parse(header);
    return { fault: value === null ? null : asMockFault(value) };
  } catch (error) {
    return { badHeader: `${FAULT_HEADER}: ${(error as Error).message}` };
  }
}

const mockError = (message: string, type: string) => ({ error: { message, type, param: null, code: null } });

function handle(
  req: IncomingMessage,
  res: ServerResponse,
  record: MockRequest,
  settle: (end: MockRequestEnd) => void,
  taken: TakenFault,
  options: MockServerOptions,
  memory: ServerMemory,
) {
  res.setHeader('access-control-allow-origin', '*');
  // echo what the browser asks for: `*` does not cover Authorization in the Fetch spec
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
  let completed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  res.on('close', () => {
    if (timer !== undefined) clearTimeout(timer);
    settle({ completed, bytesWritten: record.bytesWritten });
  });

  if (req.method === 'OPTIONS') {
    res.writeHead(204).end();
    completed = true;
    return;
  }
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  req.on('end', () => {
    const text = Buffer.concat(parts).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = text ? JSON.parse(text) : {};
      record.body = body;
    } catch {
      body = undefined;
    }
    if ('badHeader' in taken) return sendJson(400, {}, mockError(taken.badHeader, 'invalid_request_error'));
    const fault = taken.fault;
    if (fault?.kind === 'close-before-headers' || fault?.kind === 'hang') {
      record.fault = fault;
      if (fault.kind === 'close-before-headers') req.socket.destroy();
      return; // a hanging request ends when the client goes away or the server closes
    }
    if (fault?.kind === 'proxy-page') {
      // the proxy answers for any path, before the API sees the request
      record.fault = fault;
      return send(200, { 'content-type': 'text/html; charset=utf-8' }, [PROXY_SIGN_IN_PAGE]);
    }
    if (body === undefined) return sendJson(400, {}, mockError('The request body is not valid JSON.', 'invalid_request_error'));
    const url = new URL(req.url ?? '/', 'http://mock');
    if (fault?.kind === 'unstreamed') {
      // what reaches the API once a proxy dropped the stream flag
      body = { ...body, stream: false };
      url.searchParams.delete('alt');
    }
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (!match) return sendJson(404, {}, mockError(`No route ${req.method} ${url.pathname}`, 'not_found'));
    const cut = fault?.kind === 'cut' ? fault.afterChars : undefined;
    const input: RouteInput = { body, headers: req.headers, params: match.params, query: url.searchParams, answerOptions: {}, cut, memory };
    try {
      input.answerOptions = answerHeaders(req.headers);
    } catch (error) {
      return sendJson(400, {}, match.route.invalidRequest((error as Error).message, input));
    }

    if (fault?.kind === 'status') {
      record.fault = fault;
      const headers: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': fault.retryAfter } : {};
      return sendJson(fault.status, headers, match.route.errorBody(fault, input));
    }
    const result: RouteResult = match.route.answer(input);
    if ('json' in result) {
      // a JSON answer has no frames to break: only byte faults apply
      record.fault = isFrameFault(fault) ? null : fault;
      return sendJson(result.status ?? 200, result.headers ?? {}, result.json, record.fault);
    }
    record.fault = fault;
    const pacing = {
      firstDelayMs: numberHeader(req.headers, 'x-mock-first-chunk-delay-ms') ?? options.firstChunkDelayMs ?? 0,
      delayMs: numberHeader(req.headers, 'x-mock-chunk-delay-ms') ?? options.chunkDelayMs ?? 0,
    };
    const headers = { 'content-type': result.contentType, 'cache-control': 'no-cache', connection: 'keep-alive' };
    send(200, headers, faultedFrames(result, fault), pacing, fault);
  });

  /** Writes a JSON answer, with its length, as the APIs do (a byte fault may still cut it). */
  function sendJson(status: number, headers: Record<string, string>, value: unknown, fault: MockFault | null = null) {
    const payload = JSON.stringify(value);
    send(status, { 'content-length': String(Buffer.byteLength(payload)), ...headers }, [payload], NO_PACING, fault);
  }

  /** Writes an answer: the head, then the body's frames paced and cut as `fault` says (JSON unless headers say otherwise). */
  function send(status: number, headers: Record<string, string>, frames: string[], pacing: Pacing = NO_PACING, fault: MockFault | null = null) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.flushHeaders();
    run(deliverySteps(frames, pacing, fault), 0);
  }

  function run(steps: readonly DeliveryStep[], from: number) {
    timer = undefined;
    for (let i = from; i < steps.length; i++) {
      if (res.destroyed) return;
      const step = steps[i];
      if ('write' in step) {
        record.bytesWritten += step.write.length;
        res.write(step.write);
      } else if ('pause' in step) {
        timer = setTimeout(run, step.pause, steps, i + 1);
        return;
      } else {
        // FIN once every byte written so far is out: a TCP reset could make the client's kernel drop them
        const socket = res.socket;
        socket?.end(() => socket.destroy());
        return;
      }
    }
    res.end(() => (completed = true));
  }
}

const NO_PACING: Pacing = { firstDelayMs: 0, delayMs: 0 };

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
