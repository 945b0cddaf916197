import axios, { type AxiosInstance } from 'axios';
import { redactHeaders } from '../redact';
import type { ResponseBody } from './bodyReader';
import type { HttpRequest } from './httpRequest';
import { nodeTransport } from './nodeTransport';

export interface OpenedResponse {
  status: number;
  /** response headers, lower-case names, authentication values redacted */
  headers: Record<string, string>;
  body: ResponseBody;
}

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
 * Proxies: in Node, axios honours `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (nothing
 * here turns that off); an HTTPS request through a proxy goes through a CONNECT tunnel that
 * `nodeTransport` opens, so that a proxy dropping the connection fails the request instead of
 * leaving it unsettled.
 */
export async function openResponse(request: HttpRequest, signal: AbortSignal, secrets: readonly string[]): Promise<OpenedResponse> {
  const response = await http().request({
    url: request.url,
    method: request.method,
    headers: request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers },
    data: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal,
    transport: isNode ? nodeTransport(signal) : undefined,
  });
  const raw = response.headers as Record<string, unknown>;
  const headers: Record<string, string> = {};
  for (const name of Object.keys(raw)) headers[name.toLowerCase()] = raw[name] as string;
  return { status: response.status, headers: redactHeaders(headers, secrets), body: response.data as ResponseBody };
}
