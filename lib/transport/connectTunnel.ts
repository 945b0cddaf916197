import type * as Net from 'node:net';
import type { Duplex } from 'node:stream';
import type * as Tls from 'node:tls';

/** An HTTP(S) proxy that tunnels with `CONNECT`. */
export interface TunnelProxy {
  host: string;
  port: number;
  /** the proxy itself is spoken to over TLS (an `https://` proxy URL) */
  secure: boolean;
  /** `user:password`, sent as `Proxy-Authorization: Basic …` on the CONNECT only */
  auth?: string;
  /** TLS options of the connection to a `secure` proxy (its CA, a client certificate) */
  tls?: Tls.ConnectionOptions;
}

/** Where the tunnel leads, and the TLS options for the origin. */
export interface TunnelOrigin {
  host: string;
  port: number;
  tls: Tls.ConnectionOptions;
}

/** The most of a proxy's answer to CONNECT that is read before its head must have ended. */
const MAX_ANSWER_HEAD = 16 * 1024;

/**
 * Opens a CONNECT tunnel through `proxy` to `origin` and hands `done` the TLS socket to the origin —
 * or, when the proxy refuses the tunnel (407, 502, …), a socket that replays the proxy's answer, so
 * the request sees that status as its response, as axios's own tunnel (https-proxy-agent) does.
 *
 * Every way the proxy can fail before the tunnel is up reaches `done` as an error: a refused or reset
 * connection, and also a proxy that closes the connection (FIN) before or while answering — which
 * https-proxy-agent 5 ignores, leaving the request without a socket, an answer or an error. The
 * returned `cancel` closes the connection to the proxy while the tunnel is not up yet (afterwards the
 * request owns the socket) and reports `done` an abort.
 *
 * @param modules Node's `net` and `tls` (passed in, so that this file imports nothing of Node)
 */
export function openTunnel(
  modules: { net: typeof Net; tls: typeof Tls },
  proxy: TunnelProxy,
  origin: TunnelOrigin,
  done: (error: Error | null, socket?: Duplex) => void,
): () => void {
  const { net, tls } = modules;
  const where = `the proxy ${proxy.host}:${proxy.port}`;
  const socket: Net.Socket = proxy.secure
    ? tls.connect({ ...proxy.tls, host: proxy.host, port: proxy.port, servername: net.isIP(proxy.host) ? undefined : proxy.host, ALPNProtocols: ['http/1.1'] })
    : net.connect({ host: proxy.host, port: proxy.port });
  const received: Buffer[] = [];
  let size = 0;
  let settled = false;

  const settle = (error: Error | null, result?: Duplex) => {
    if (settled) return;
    settled = true;
    socket.removeListener('data', onData);
    socket.removeListener('end', onClosed);
    socket.removeListener('close', onClosed);
    socket.removeListener('error', onError);
    // a late error of the proxy connection must not become an uncaught exception; the request hears
    // of it through the socket it was given
    socket.on('error', noop);
    done(error, result);
  };
  const fail = (error: Error) => {
    socket.destroy();
    settle(error);
  };
  const onError = (error: Error) => fail(error);
  const onClosed = () => fail(withCode(new Error(`${where} closed the connection before answering CONNECT`), 'ECONNRESET'));
  const onData = (bytes: Buffer) => {
    received.push(bytes);
    size += bytes.length;
    const answer = received.length === 1 ? bytes : Buffer.concat(received, size);
    const headEnd = answer.indexOf('\r\n\r\n');
    if (headEnd === -1) {
      if (size > MAX_ANSWER_HEAD) fail(withCode(new Error(`${where} sent an answer to CONNECT longer than ${MAX_ANSWER_HEAD} bytes`), 'EPROTO'));
      return;
    }
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer.toString('latin1', 0, answer.indexOf('\r\n')))?.[1]);
    if (!status) {
      fail(withCode(new Error(`${where} answered CONNECT with something that is not HTTP`), 'EPROTO'));
      return;
    }
    if (status >= 200 && status < 300) {
      socket.pause();
      const rest = answer.subarray(headEnd + 4);
      if (rest.length > 0) socket.unshift(rest);
      settle(null, tls.connect({ ...origin.tls, socket, servername: origin.tls.servername ?? (net.isIP(origin.host) ? undefined : origin.host) }));
      return;
    }
    // refused: the proxy's answer becomes the response (the request itself was never sent through it)
    socket.destroy();
    const replay = new net.Socket({ writable: false });
    replay.push(answer);
    replay.push(null);
    settle(null, replay);
  };

  socket.on('data', onData);
  socket.on('end', onClosed);
  socket.on('close', onClosed);
  socket.on('error', onError);
  const authority = `${net.isIPv6(origin.host) ? `[${origin.host}]` : origin.host}:${origin.port}`;
  const authorization = proxy.auth ? `Proxy-Authorization: Basic ${Buffer.from(proxy.auth).toString('base64')}\r\n` : '';
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization}\r\n`);

  return () => {
    if (!settled) fail(withCode(new Error('the request was aborted while the proxy tunnel opened'), 'ABORT_ERR'));
  };
}

const withCode = (error: Error, code: string) => Object.assign(error, { code });

const noop = () => undefined;
