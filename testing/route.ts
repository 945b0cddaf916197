import type { IncomingHttpHeaders } from 'node:http';

/** What a route of the mock server receives: the parsed JSON body and the request headers. */
export interface RouteInput {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** the path's parameters, e.g. `{ model: 'gemini-2.0-flash' }` for Gemini */
  params: Record<string, string>;
  /** the query string's parameters */
  query: URLSearchParams;
}

/**
 * A route's answer: a stream as frames (what one `write` sends, paced by the server), or a plain
 * JSON answer (an error body, a non-streaming completion).
 */
export type RouteResult =
  | { stream: string[]; contentType: string }
  | { json: unknown; status?: number; headers?: Record<string, string> };

export type Route = (input: RouteInput) => RouteResult;
