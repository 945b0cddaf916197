import type { Socket } from 'node:net';
import { DEFAULT_TIMEOUT, isStreamInterruptedError, isStreamTimeoutError, streamChat$, type StreamInterruptedError, type StreamTimeoutError } from '../../lib';
import { afterHead, startBadServer, type BadServer } from '../support/badServer';
import { collect } from '../support/collect';

const user = (content: string) => [{ role: 'user' as const, content }];

/**
 * A server that drops the connection at each point of the exchange, as a broken proxy or load balancer
 * does. Each must end the stream with a typed, retryable error — never leave it unsettled. A configured
 * first-chunk limit is the guard: a drop that went unreported would end as a StreamTimeoutError instead.
 */
const DROPS: Array<[string, (socket: Socket, server: BadServer) => void, { allowHalfOpen?: boolean }]> = [
  ['closes (FIN) as soon as it accepts', (socket) => socket.end(), {}],
  ['destroys the socket as soon as it accepts', (socket) => socket.destroy(), {}],
  ['resets (RST) as soon as it accepts', (socket) => socket.resetAndDestroy(), {}],
  ['closes after reading the request head', (socket, server) => afterHead(socket, server, () => socket.end()), {}],
  ['sends half a status line, then closes', (socket, server) => afterHead(socket, server, () => socket.end('HTTP/1.1 2')), {}],
  ['sends part of the headers, then closes', (socket, server) => afterHead(socket, server, () => socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n')), {}],
  ['half-closes (FIN) after the request head and keeps its side open', (socket, server) => afterHead(socket, server, () => socket.end()), { allowHalfOpen: true }],
  ['sends the headers of a chunked 200, then closes with no body', (socket, server) =>
    afterHead(socket, server, () => socket.end('HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n')), {}],
];

describe('a connection dropped before the answer', () => {
  test.each(DROPS)('a server that %s: StreamInterruptedError, retryable', async (_, behave, options) => {
    const server = await startBadServer(behave, options);
    try {
      const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: `${server.url}/v1`, apiKey: 'sk-drop-secret-1', timeout: { firstChunkMs: 5000 } }));
      expect(isStreamTimeoutError(error)).toBe(false);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as StreamInterruptedError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/^openai: connection failed before the response body \(ECONNRESET\)/);
      expect(chunks).toEqual([]);
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });

  test('a server that accepts and never answers: StreamTimeoutError of kind first-chunk under the configured limit, and the socket is closed', async () => {
    const server = await startBadServer((socket, bad) => afterHead(socket, bad, () => undefined));
    try {
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: `${server.url}/v1`, apiKey: 'k-1', timeout: { firstChunkMs: 300 } }));
      expect(isStreamTimeoutError(error)).toBe(true);
      expect((error as StreamTimeoutError).kind).toBe('first-chunk');
      expect((error as StreamTimeoutError).timeoutMs).toBe(300);
      expect(server.heads[0]).toMatch(/^POST \/v1\/chat\/completions HTTP\/1\.1/);
      await server.closed(0);
      expect(server.openConnections()).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('with no timeout option, the default limits apply (virtual time)', () => {
  let server: BadServer;
  beforeEach(async () => {
    server = await startBadServer((socket, bad) => afterHead(socket, bad, () => undefined));
    // only the timers are virtual: sockets, nextTick and setImmediate stay real
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  });
  afterEach(async () => {
    jest.useRealTimers();
    await server.close();
  });
  const untilAsked = async () => {
    while (server.heads.length === 0) await new Promise((r) => setImmediate(r));
  };

  test('a server that never answers fails after DEFAULT_TIMEOUT.idleMs (5 minutes without a byte), not before', async () => {
    const result = collect(streamChat$('openai', user('x'), { baseURL: `${server.url}/v1`, apiKey: 'k-1' }));
    let settled = false;
    void result.then(() => (settled = true));
    await untilAsked();
    jest.advanceTimersByTime(DEFAULT_TIMEOUT.idleMs - 1);
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    jest.advanceTimersByTime(1);
    const { error } = await result;
    expect(isStreamTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'idle', timeoutMs: 300_000 });
  });

  test('with the idle limit off ({ idleMs: false }), it fails after DEFAULT_TIMEOUT.firstChunkMs (10 minutes)', async () => {
    const result = collect(streamChat$('openai', user('x'), { baseURL: `${server.url}/v1`, apiKey: 'k-1', timeout: { idleMs: false } }));
    await untilAsked();
    jest.advanceTimersByTime(DEFAULT_TIMEOUT.firstChunkMs);
    const { error } = await result;
    expect(isStreamTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'first-chunk', timeoutMs: 600_000 });
  });
});
