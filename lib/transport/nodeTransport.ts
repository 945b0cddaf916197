import type * as Http from 'node:http';
import type * as Https from 'node:https';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import { openTunnel, type TunnelProxy } from './connectTunnel';

/** What axios's http adapter calls as its `transport`: `request(options, onResponse)`, as Node's `http` has. */
export interface AxiosNodeTransport {
  request(options: Https.RequestOptions, onResponse: (response: Http.IncomingMessage) => void): Http.ClientRequest;
}

/** TLS options of an agent that reach the origin through a tunnel (and an `https:` proxy), as axios passes them. */
const ORIGIN_TLS_OPTIONS = [
  'ca', 'cert', 'key', 'pfx', 'passphrase', 'crl', 'ciphers', 'ecdhCurve', 'minVersion', 'maxVersion',
  'secureOptions', 'secureProtocol', 'sigalgs', 'rejectUnauthorized', 'checkServerIdentity', 'servername',
] as const;

/**
 * The transport of one request through axios's Node http adapter: Node's own `http`/`https`, except
 * for an HTTPS request that axios sends through a proxy (`HTTPS_PROXY`, `ALL_PROXY`, not excluded by
 * `NO_PROXY` — axios decides that, as before). Axios opens that CONNECT tunnel with https-proxy-agent 5,
 * which never reports a proxy that closes the connection before answering the CONNECT: the request
 * then gets no socket, no answer and no error, and with the proxy connection gone nothing keeps Node
 * running — it exits 0 with the stream unsettled. It also leaves the connection to a proxy that never
 * answers open after the request was aborted. Here the tunnel is opened by `openTunnel` instead, to
 * the same proxy (with its credentials), where every such failure is an error of the request and an
 * abort of `signal` closes the proxy connection.
 *
 * The TLS options of the origin are those axios's tunnel takes: the given `httpsAgent`'s (the
 * `httpsAgent` option: a corporate CA, a client certificate), else `https.globalAgent`'s, then the
 * request's own; those of an `https:` proxy, the tunneling agent's (axios puts `httpsAgent`'s there).
 *
 * Returns `undefined` where Node's modules cannot be had without importing them
 * (`process.getBuiltinModule`: Node ≥ 20.16, 22.3): axios then uses its own transport.
 *
 * @param signal the request's abort signal (the one given to axios)
 * @param httpsAgent the request's own `https.Agent`, when it has one
 */
export function nodeTransport(signal: AbortSignal, httpsAgent?: object): AxiosNodeTransport | undefined {
  const node = nodeModules();
  if (!node) return undefined;
  return {
    request(options, onResponse) {
      const isHttps = options.protocol === 'https:';
      const proxy = isHttps ? tunnelProxyOf(options.agent, node) : undefined;
      if (!proxy) return (isHttps ? node.https : node.http).request(options, onResponse);
      const createConnection: Https.RequestOptions['createConnection'] = (connectOptions, oncreate) => {
        const host = String(connectOptions.hostname ?? connectOptions.host ?? options.hostname ?? options.host ?? 'localhost').replace(/^\[|\]$/g, '');
        const port = Number(connectOptions.port ?? options.port) || 443;
        const cancel = openTunnel(node, proxy, { host, port, tls: originTls(node.https, httpsAgent, connectOptions) }, (error, socket) => {
          signal.removeEventListener('abort', cancel);
          oncreate(error, socket!);
        });
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
        return undefined;
      };
      // no agent: the connection is this request's own (as with axios's tunnel, which is never reused);
      // without an agent Node takes 80 for the default port, so 443 is said
      return node.https.request({ ...options, agent: undefined, defaultPort: 443, createConnection }, onResponse);
    },
  };
}

interface NodeModules {
  http: typeof Http;
  https: typeof Https;
  net: typeof Net;
  tls: typeof Tls;
}

function nodeModules(): NodeModules | undefined {
  const getBuiltinModule = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof getBuiltinModule !== 'function') return undefined;
  const get = <M>(id: string) => getBuiltinModule(id) as M;
  return { http: get('node:http'), https: get('node:https'), net: get('node:net'), tls: get('node:tls') };
}

/**
 * The proxy of the tunneling agent axios put on the request (https-proxy-agent 5: `proxy.host`,
 * `proxy.port`, `proxy.auth`, `secureProxy`), or `undefined` for any other agent — Node's own (a
 * direct request), or a tunneling agent of a shape not known here, which is then left to do its work.
 */
function tunnelProxyOf(agent: unknown, node: NodeModules): TunnelProxy | undefined {
  if (!agent || typeof agent !== 'object' || agent instanceof node.http.Agent) return undefined;
  const { proxy, secureProxy } = agent as { proxy?: unknown; secureProxy?: unknown };
  if (!proxy || typeof proxy !== 'object') return undefined;
  const { host, hostname, port, auth, protocol } = proxy as Record<string, unknown>;
  const name = typeof hostname === 'string' && hostname ? hostname : host;
  if (typeof name !== 'string' || !name) return undefined;
  const secure = secureProxy === true || protocol === 'https:';
  const tls = secure ? tlsOptions([proxy as Record<string, unknown>]) : undefined;
  delete tls?.servername;
  return {
    host: name.replace(/^\[|\]$/g, ''),
    port: Number(port) || (secure ? 443 : 80),
    secure,
    ...(typeof auth === 'string' && auth ? { auth } : {}),
    ...(tls && Object.keys(tls).length > 0 ? { tls } : {}),
  };
}

/**
 * The origin's TLS options: the request's `https.Agent`'s, else the global agent's (as axios passes
 * them to its tunnel), then the request's own.
 */
function originTls(https: typeof Https, agent: object | undefined, options: Https.RequestOptions): Tls.ConnectionOptions {
  const agentOptions = (agent as { options?: Record<string, unknown> } | undefined)?.options ?? (https.globalAgent.options as Record<string, unknown>);
  return tlsOptions([agentOptions, options as Record<string, unknown>]);
}

/** The TLS options among `sources`, a later source's over an earlier's. */
function tlsOptions(sources: Array<Record<string, unknown>>): Tls.ConnectionOptions {
  const tls: Record<string, unknown> = {};
  for (const source of sources) {
    for (const key of ORIGIN_TLS_OPTIONS) if (source[key] !== undefined) tls[key] = source[key];
  }
  return tls as Tls.ConnectionOptions;
}
