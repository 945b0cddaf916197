import { redactHeaders } from '../redact';
import type { ResponseBody } from './bodyReader';
import type { HttpRequest, OpenedResponse } from './httpRequest';
import type { FetchLike } from './transportOptions';

/**
 * Sends `request` with a fetch the caller gave (the `fetch` option) and resolves when the response
 * headers arrive, with the body unread — as `openResponse` does through axios, so the stream is read
 * as it comes, with the same timers, abort and errors. A rejection keeps what tells the failure
 * (undici's `fetch failed` hides it in `cause`: `ECONNREFUSED`, `connect ECONNREFUSED 127.0.0.1:1`)
 * as the error's own `code` and message, and nothing else of it.
 */
export async function fetchResponse(fetch: FetchLike, request: HttpRequest, signal: AbortSignal, secrets: readonly string[]): Promise<OpenedResponse> {
  let response: Awaited<ReturnType<FetchLike>>;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
    });
  } catch (error) {
    throw fetchFailure(error);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
  return { status: response.status, headers: redactHeaders(headers, secrets), body: (response.body as ResponseBody | null) ?? emptyBody() };
}

/** A fetch's rejection as an error with the `code` and message of what failed (its `cause`, when it has one). */
function fetchFailure(error: unknown): Error {
  const outer = error as { message?: unknown; code?: unknown; cause?: { message?: unknown; code?: unknown } } | undefined;
  const cause = outer?.cause;
  const code = typeof outer?.code === 'string' ? outer.code : typeof cause?.code === 'string' ? cause.code : undefined;
  const message = [outer?.message, cause?.message].filter((m): m is string => typeof m === 'string' && m !== '').join(': ') || String(error);
  return Object.assign(new Error(message), code ? { code } : {}, { name: (error as Error)?.name ?? 'Error' });
}

const emptyBody = (): ReadableStream<Uint8Array> => new ReadableStream({ start: (controller) => controller.close() });
