import axios from 'axios';
import { Observable } from 'rxjs';
import { StreamInterruptedError } from '../errors/streamInterruptedError';
import { redactHeaders, redactText } from '../redact';
import type { HttpRequest } from './httpRequest';
import { nodeTransport } from './nodeTransport';
import { toHttpError } from './toHttpError';

/**
 * One plain JSON request (not a stream), for what a provider feature asks on the side: a moderation
 * check, the list of loaded models. Cold; unsubscribing aborts it. A non-2xx answer is an
 * `HttpError`, a network failure a `StreamInterruptedError`, both without secrets.
 *
 * @example
 * requestJson$({ url: `${baseURL}/models`, method: 'GET', headers }, secrets, 'lmstudio').subscribe((body) => …);
 */
export function requestJson$(request: HttpRequest, secrets: readonly string[], provider: string): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const controller = new AbortController();
    axios
      .request({
        url: request.url,
        method: request.method,
        headers: request.body === undefined ? request.headers : { 'content-type': 'application/json', ...request.headers },
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
        signal: controller.signal,
        // Node's http/https, with the proxy tunnel that reports a dropped proxy (see nodeTransport);
        // like a stream, a side request is not redirected
        transport: nodeTransport(controller.signal),
        maxRedirects: 0,
        responseType: 'text',
        transformResponse: [(data: unknown) => data],
        validateStatus: () => true,
      })
      .then(
        (response) => {
          const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
          const headers = redactHeaders(response.headers as Record<string, unknown>, secrets);
          if (response.status < 200 || response.status >= 300) {
            subscriber.error(toHttpError({ provider, status: response.status, headers, text, url: request.url, secrets }));
            return;
          }
          try {
            subscriber.next(text ? JSON.parse(text) : null);
            subscriber.complete();
          } catch {
            subscriber.error(toHttpError({ provider, status: 502, headers, text: `not JSON: ${text.slice(0, 200)}`, url: request.url, secrets }));
          }
        },
        (error: unknown) => {
          if (controller.signal.aborted) return;
          const code = (error as { code?: string })?.code;
          subscriber.error(
            new StreamInterruptedError(`${provider}: ${request.url.split('?')[0]} could not be reached${code ? ` (${code})` : ''}: ${redactText(String((error as Error)?.message ?? error), secrets)}`, {
              provider,
              retryable: true,
            }),
          );
        },
      );
    return () => controller.abort();
  });
}
