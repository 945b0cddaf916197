/** What a `fetch` given as the `fetch` option is called with: the request as rxllm sends it. */
export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  /** the JSON text of the body, when the request has one */
  body?: string;
  /** aborts the request, and the body's reading */
  signal: AbortSignal;
}

/** What rxllm reads of the response a `fetch` resolves with (a WHATWG `Response`, node-fetch's, undici's). */
export interface FetchResponse {
  status: number;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  /**
   * read as it arrives: a web `ReadableStream`, or a Node stream (node-fetch; typed by the events it
   * is read with, so that these declarations need no Node types); `null` for no body
   */
  body: ReadableStream<Uint8Array> | NodeStreamLike | null;
}

/** A Node `Readable`, as far as the body reader uses it. */
export interface NodeStreamLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** A fetch implementation: the global `fetch`, undici's, node-fetch, a test double. */
export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponse>;

/**
 * How one request is sent, when not by the default client (axios: Node's `http`/`https` in Node, its
 * fetch adapter elsewhere). From the request options of the same names (see `RequestOptions`).
 */
export interface TransportOptions {
  /** sends with this fetch instead of axios: no agent or proxy of rxllm's applies then */
  fetch?: FetchLike;
  /** Node: the `http.Agent` of `http:` requests (a keep-alive pool, a proxying agent) */
  httpAgent?: object;
  /** Node: the `https.Agent` of `https:` requests (a keep-alive pool, a corporate CA, client certificates) */
  httpsAgent?: object;
  /** Node: the proxy, as a URL; `false` for none, whatever the environment says; absent: the environment's */
  proxy?: string | false;
}

/**
 * The transport options among the request options, `undefined` when there are none (the default
 * client, as before).
 *
 * @example
 * transportOptionsOf({ model: 'gpt-4o', httpsAgent }); // { httpsAgent }
 */
export function transportOptionsOf(options: TransportOptions): TransportOptions | undefined {
  const { fetch, httpAgent, httpsAgent, proxy } = options;
  if (fetch === undefined && httpAgent === undefined && httpsAgent === undefined && proxy === undefined) return undefined;
  const out: TransportOptions = {};
  if (fetch !== undefined) out.fetch = fetch;
  if (httpAgent !== undefined) out.httpAgent = httpAgent;
  if (httpsAgent !== undefined) out.httpsAgent = httpsAgent;
  if (proxy !== undefined) out.proxy = proxy;
  return out;
}
