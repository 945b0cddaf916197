import axios, { type AxiosInstance, type AxiosProxyConfig } from 'axios';
import { redactHeaders } from '../redact';
import type { ResponseBody } from './bodyReader';
import { fetchResponse } from './fetchResponse';
import type { HttpRequest, OpenedResponse } from './httpRequest';
import { nodeTransport } from './nodeTransport';
import type { TransportOptions } from './transportOptions';

export type { OpenedResponse } from './httpRequest';

/** Node sends through axios's http adapter; elsewhere (browsers, workers) through its fetch adapter. */
const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

/** The one axios client of rxllm: streams and side requests (`requestJson$`) alike go through it. */
let client: AxiosInstance | undefined;
const http = () =>
  (client ??= axios.create({
    adapter: isNode ? 'http' : 'fetch',
    responseType: 'stream',
    // every status reaches us: a non-2xx body is read and turned into an HttpError
    validateStatus: () => true,
    // no provider redirects a request; without redirects axios skips follow-redirects' wrapper
    maxRedirects: 0,
    decompress: true,
    // the body is already JSON text; keep axios from transforming it either way
    transformRequest: [(data: unknown) => data],
    transformResponse: [(data: unknown) => data],
  }));

/**
 * Sends `request` and resolves when the response headers arrive, with the body still unread (a
 * stream's, an error's or a side request's: `readBody`, `readBodyText`). Rejects with the adapter's
 * error (never passed on raw: it carries the request headers). Response headers are redacted: the
 * authentication headers, and `secrets` wherever they appear.
 *
 * `transport` (the request options `fetch`, `httpAgent`, `httpsAgent`, `proxy`) changes how: a
 * `fetch` sends instead of axios (`fetchResponse`); the agents and the proxy are axios's own settings.
 *
 * Proxies: in Node, axios honours `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (nothing
 * here turns that off) unless `proxy` says otherwise (a URL: that proxy, whatever the environment
 * says; `false`: none); an HTTPS request through a proxy goes through a CONNECT tunnel that
 * `nodeTransport` opens, so that a proxy dropping the connection fails the request instead of
 * leaving it unsettled — with the TLS options of `httpsAgent` (its CA, client certificate) for the
 * origin, as axios's own tunnel takes them.
 */
export async function openResponse(request: HttpRequest, signal: AbortSignal, secrets: readonly string[], transport?: TransportOptions): Promise<OpenedResponse> {
  if (transport?.fetch) return fetchResponse(transport.fetch, request, signal, secrets);
  const response = await http().request({
    url: request.url,
    method: request.method,
    headers: request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers },
    data: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal,
    transport: isNode ? nodeTransport(signal, transport?.httpsAgent) : undefined,
    ...(transport?.httpAgent ? { httpAgent: transport.httpAgent } : {}),
    ...(transport?.httpsAgent ? { httpsAgent: transport.httpsAgent } : {}),
    ...(transport?.proxy !== undefined ? { proxy: axiosProxy(transport.proxy) } : {}),
  });
  const raw = response.headers as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const name of Object.keys(raw)) headers[name.toLowerCase()] = raw[name] as string;
  return { status: response.status, headers: redactHeaders(headers, secrets), body: response.data as ResponseBody };
}

/** The `proxy` option as axios's setting: `false` as it is, a URL as its parts (its credentials percent-decoded). */
function axiosProxy(proxy: string | false): AxiosProxyConfig | false {
  if (proxy === false) return false;
  const url = new URL(proxy);
  const secure = url.protocol === 'https:';
  return {
    protocol: url.protocol.slice(0, -1),
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (secure ? 443 : 80),
    ...(url.username ? { auth: { username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } } : {}),
  };
}
