import { Agent as HttpsAgent, globalAgent } from 'node:https';
import { connect, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { inspect } from 'node:util';
import { lastValueFrom } from 'rxjs';
import {
  isAbortError,
  isHttpError,
  isStreamInterruptedError,
  isStreamTimeoutError,
  streamChat$,
  type HttpError,
  type StreamInterruptedError,
  type StreamTimeoutError,
} from '../../lib';
import { requestJson$ } from '../../lib/transport/requestJson';
import { answerFor, startMockServer, type MockServer } from '../../testing';
import { afterHead, startBadServer, type BadServer } from '../support/badServer';
import { collect } from '../support/collect';
import { TEST_TLS } from '../support/tlsTestCert';

const user = (content: string) => [{ role: 'user' as const, content }];
/** a host that never resolves: only the proxy can have been asked for it */
const UNREACHABLE = 'https://rxllm-proxy-test.invalid/v1';
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy', 'NO_PROXY', 'no_proxy'];

/**
 * HTTPS through a proxy (HTTPS_PROXY), which axios honours: the request goes through a CONNECT
 * tunnel. A proxy that drops the connection while the tunnel opens must fail the stream — before,
 * axios's tunnel (https-proxy-agent 5) ignored it and the stream never settled.
 */
describe('HTTPS through a proxy (CONNECT tunnel)', () => {
  const saved: Record<string, string | undefined> = {};
  const savedCa = globalAgent.options.ca;
  beforeEach(() => {
    for (const name of PROXY_VARIABLES) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of PROXY_VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    globalAgent.options.ca = savedCa;
  });
  const useProxy = (proxy: BadServer, credentials = '') => (process.env.HTTPS_PROXY = `http://${credentials}127.0.0.1:${proxy.port}`);

  const DROPS: Array<[string, (socket: Socket, proxy: BadServer) => void, { allowHalfOpen?: boolean }]> = [
    ['closes (FIN) as soon as it accepts', (socket) => socket.end(), {}],
    ['destroys the socket as soon as it accepts', (socket) => socket.destroy(), {}],
    ['closes after reading the CONNECT', (socket, proxy) => afterHead(socket, proxy, () => socket.end()), {}],
    ['sends half a status line, then closes', (socket, proxy) => afterHead(socket, proxy, () => socket.end('HTTP/1.1 2')), {}],
    ['sends part of its answer head, then closes', (socket, proxy) => afterHead(socket, proxy, () => socket.end('HTTP/1.1 200 Connection established\r\nVia: x\r\n')), {}],
    ['half-closes (FIN) after the CONNECT and keeps its side open', (socket, proxy) => afterHead(socket, proxy, () => socket.end()), { allowHalfOpen: true }],
  ];

  test.each(DROPS)('a proxy that %s: StreamInterruptedError, retryable, naming the proxy', async (_, behave, options) => {
    const proxy = await startBadServer(behave, options);
    try {
      useProxy(proxy);
      const { chunks, error } = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1', timeout: { firstChunkMs: 5000 } }));
      expect(isStreamTimeoutError(error)).toBe(false);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as StreamInterruptedError).retryable).toBe(true);
      expect((error as Error).message).toMatch(/\(ECONNRESET\): the proxy 127\.0\.0\.1:\d+ closed the connection before answering CONNECT$/);
      expect(chunks).toEqual([]);
      expect(proxy.connections()).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  test('a proxy that resets (RST) at once, or answers CONNECT and then closes before the TLS handshake: StreamInterruptedError, retryable', async () => {
    const reset = await startBadServer((socket) => socket.resetAndDestroy());
    const halfway = await startBadServer((socket, proxy) => afterHead(socket, proxy, () => socket.end('HTTP/1.1 200 Connection established\r\n\r\n')));
    try {
      for (const proxy of [reset, halfway]) {
        useProxy(proxy);
        const { error } = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1', timeout: { firstChunkMs: 5000 } }));
        expect(isStreamInterruptedError(error)).toBe(true);
        expect((error as StreamInterruptedError).retryable).toBe(true);
        expect((error as Error).message).toMatch(/\(ECONNRESET\)/);
        expect(proxy.connections()).toBe(1);
      }
      expect(halfway.heads).toEqual([expect.stringMatching(/^CONNECT rxllm-proxy-test\.invalid:443 HTTP\/1\.1\r\nHost: rxllm-proxy-test\.invalid:443/)]);
    } finally {
      await reset.close();
      await halfway.close();
    }
  });

  test("the proxy's credentials (from the proxy URL) reach the proxy as axios reads them, and no error names them", async () => {
    const proxy = await startBadServer((socket, bad) => afterHead(socket, bad, () => socket.end()));
    try {
      useProxy(proxy, 'tunnel-user:proxy-secret-7@');
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1' }));
      expect(isStreamInterruptedError(error)).toBe(true);
      expect(proxy.heads[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('tunnel-user:proxy-secret-7').toString('base64')}`);
      const rendered = `${(error as Error).message} ${inspect(error, { depth: 10 })} ${JSON.stringify(error)}`;
      expect(rendered).not.toContain('proxy-secret-7');
      expect(rendered).not.toContain(Buffer.from('tunnel-user:proxy-secret-7').toString('base64'));
    } finally {
      await proxy.close();
    }
  });

  test('a proxy that refuses the tunnel: its answer is the HttpError (407 not retryable, 502 retryable)', async () => {
    const refuse = (status: string, body: string) =>
      startBadServer((socket, bad) => afterHead(socket, bad, () => socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n\r\n${body}`)));
    const auth = await refuse('407 Proxy Authentication Required', 'who are you');
    const gateway = await refuse('502 Bad Gateway', 'upstream down');
    try {
      useProxy(auth);
      const first = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1' }));
      expect(isHttpError(first.error)).toBe(true);
      expect((first.error as HttpError).status).toBe(407);
      expect((first.error as HttpError).retryable).toBe(false);
      expect((first.error as HttpError).body).toBe('who are you');
      useProxy(gateway);
      const second = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1' }));
      expect((second.error as HttpError).status).toBe(502);
      expect((second.error as HttpError).retryable).toBe(true);
    } finally {
      await auth.close();
      await gateway.close();
    }
  });

  test('a proxy that never answers the CONNECT: the first-chunk limit fails the stream and the connection to the proxy is closed', async () => {
    const proxy = await startBadServer((socket, bad) => afterHead(socket, bad, () => undefined));
    try {
      useProxy(proxy);
      const { error } = await collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1', timeout: { firstChunkMs: 300 } }));
      expect(isStreamTimeoutError(error)).toBe(true);
      expect((error as StreamTimeoutError).kind).toBe('first-chunk');
      await proxy.closed(0);
      expect(proxy.openConnections()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  test("aborting (the caller's signal) or unsubscribing while the proxy has not answered closes the connection to the proxy", async () => {
    const proxy = await startBadServer((socket, bad) => afterHead(socket, bad, () => undefined));
    try {
      useProxy(proxy);
      const controller = new AbortController();
      const aborted = collect(streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1', signal: controller.signal }));
      await waitFor(() => proxy.heads.length === 1);
      controller.abort();
      expect(isAbortError((await aborted).error)).toBe(true);
      await proxy.closed(0);

      const subscription = streamChat$('openai', user('x'), { baseURL: UNREACHABLE, apiKey: 'sk-tunnel-1' }).subscribe();
      await waitFor(() => proxy.heads.length === 2);
      subscription.unsubscribe();
      await proxy.closed(1);
      expect(proxy.openConnections()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  test('a side request (requestJson$: moderation, a model list) through a proxy that drops the CONNECT fails the same way', async () => {
    const proxy = await startBadServer((socket, bad) => afterHead(socket, bad, () => socket.end()));
    try {
      useProxy(proxy);
      const error = await lastValueFrom(requestJson$({ url: `${UNREACHABLE}/models`, method: 'GET', headers: {} }, [], 'lmstudio')).catch((e: unknown) => e);
      expect(isStreamInterruptedError(error)).toBe(true);
      expect((error as Error).message).toMatch(/could not be reached \(ECONNRESET\): the proxy 127\.0\.0\.1:\d+ closed the connection before answering CONNECT$/);
      expect(proxy.heads).toEqual([expect.stringMatching(/^CONNECT rxllm-proxy-test\.invalid:443 /)]);
    } finally {
      await proxy.close();
    }
  });

  describe('through a working proxy', () => {
    let mock: MockServer;
    let origin: TlsServer;
    let originPort: number;
    beforeAll(async () => {
      mock = await startMockServer();
      // the mock server behind TLS (a certificate for 127.0.0.1), as a provider's HTTPS endpoint
      origin = createTlsServer(TEST_TLS, (tlsSocket) => {
        const plain = connect(mock.port, '127.0.0.1');
        tlsSocket.pipe(plain).pipe(tlsSocket);
        const end = () => (tlsSocket.destroy(), plain.destroy());
        tlsSocket.on('error', end).on('close', end);
        plain.on('error', end).on('close', end);
      });
      await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
      originPort = (origin.address() as { port: number }).port;
    });
    afterAll(async () => {
      await new Promise((resolve) => origin.close(resolve));
      await mock.close();
    });
    /** a CONNECT proxy that tunnels to where it is asked */
    const startTunnelingProxy = () =>
      startBadServer((socket, proxy) =>
        afterHead(socket, proxy, (head) => {
          const [host, port] = head.split(' ')[1].split(':');
          const upstream = connect(Number(port), host, () => {
            socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
            socket.pipe(upstream).pipe(socket);
          });
          upstream.on('error', () => socket.destroy());
          socket.on('close', () => upstream.destroy());
        }),
      );

    test('streams the whole answer through the tunnel, with TLS to the origin and the proxy credentials on the CONNECT only', async () => {
      globalAgent.options.ca = TEST_TLS.cert;
      const proxy = await startTunnelingProxy();
      try {
        useProxy(proxy, 'tunnel-user:tunnel-pass@');
        const before = mock.requests.length;
        const { chunks, error } = await collect(
          streamChat$('openai', user('Through the proxy'), { baseURL: `https://127.0.0.1:${originPort}/v1`, apiKey: 'sk-tunnel-ok' }),
        );
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Through the proxy')).text);
        expect(proxy.heads).toEqual([expect.stringMatching(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${originPort} HTTP/1\\.1\\r\\n`))]);
        expect(proxy.heads[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('tunnel-user:tunnel-pass').toString('base64')}`);
        // the request itself went through the TLS tunnel: the proxy's credentials are not on it
        expect(mock.requests[before].headers['proxy-authorization']).toBeUndefined();
        expect(mock.requests[before].headers.authorization).toBe('Bearer sk-tunnel-ok');
      } finally {
        await proxy.close();
      }
    });

    test("the origin's certificate is checked through the tunnel: an untrusted one fails", async () => {
      globalAgent.options.ca = undefined;
      const proxy = await startTunnelingProxy();
      try {
        useProxy(proxy);
        const { error } = await collect(streamChat$('openai', user('x'), { baseURL: `https://127.0.0.1:${originPort}/v1`, apiKey: 'sk-tunnel-ok' }));
        expect(isStreamInterruptedError(error)).toBe(true);
        expect((error as Error).message).toMatch(/self[- ]signed certificate/i);
        expect(proxy.heads).toHaveLength(1);
      } finally {
        await proxy.close();
      }
    });

    test("httpsAgent's TLS options (a corporate CA) reach the origin through the tunnel of the proxy option", async () => {
      globalAgent.options.ca = undefined;
      const proxy = await startTunnelingProxy();
      const httpsAgent = new HttpsAgent({ ca: TEST_TLS.cert });
      try {
        const { chunks, error } = await collect(
          streamChat$('openai', user('Agent CA'), { baseURL: `https://127.0.0.1:${originPort}/v1`, apiKey: 'sk-agent', httpsAgent, proxy: `http://u:agent-proxy-pass@127.0.0.1:${proxy.port}` }),
        );
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Agent CA')).text);
        expect(proxy.heads).toEqual([expect.stringMatching(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${originPort} HTTP/1\\.1\\r\\n`))]);
        expect(proxy.heads[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('u:agent-proxy-pass').toString('base64')}`);
      } finally {
        httpsAgent.destroy();
        await proxy.close();
      }
    });

    test('proxy: false sends directly with the given httpsAgent, though HTTPS_PROXY names a proxy', async () => {
      globalAgent.options.ca = undefined;
      const proxy = await startTunnelingProxy();
      const httpsAgent = new HttpsAgent({ ca: TEST_TLS.cert, keepAlive: true });
      try {
        useProxy(proxy);
        const { chunks, error } = await collect(streamChat$('openai', user('No proxy'), { baseURL: `https://127.0.0.1:${originPort}/v1`, apiKey: 'sk-agent', httpsAgent, proxy: false }));
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('No proxy')).text);
        expect(proxy.connections()).toBe(0);
      } finally {
        httpsAgent.destroy();
        await proxy.close();
      }
    });

    test('NO_PROXY still sends a listed host directly (axios decides, as before)', async () => {
      globalAgent.options.ca = TEST_TLS.cert;
      const proxy = await startTunnelingProxy();
      try {
        useProxy(proxy);
        process.env.NO_PROXY = '127.0.0.1';
        const { chunks, error } = await collect(streamChat$('openai', user('Direct'), { baseURL: `https://127.0.0.1:${originPort}/v1`, apiKey: 'sk-direct' }));
        expect(error).toBeUndefined();
        expect(chunks.map((c) => c.content ?? '').join('')).toBe(answerFor(user('Direct')).text);
        expect(proxy.connections()).toBe(0);
      } finally {
        await proxy.close();
      }
    });
  });
});

async function waitFor(condition: () => boolean, ms = 5000) {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
}
