import { Observable } from 'rxjs';
import { StreamInterruptedError } from '../errors/streamInterruptedError';
import { redactText } from '../redact';
import { discardBody } from './bodyReader';
import type { HttpRequest } from './httpRequest';
import { openResponse } from './openResponse';
import { MAX_ERROR_BODY, readBodyText } from './readBodyText';
import { toHttpError } from './toHttpError';
import type { TransportOptions } from './transportOptions';
import { withCredentials } from './withCredentials';

/**
 * One plain JSON request (not a stream), for what a provider feature asks on the side: a moderation
 * check, the list of loaded models. It goes out as a stream's request does (`openResponse`: the same
 * axios client, so the fetch adapter in browsers, the proxy tunnel in Node, no redirects; or the
 * stream's own `transport`: its `fetch`, agents, proxy). Cold;
 * unsubscribing aborts it. A non-2xx answer is an `HttpError`, a network failure a
 * `StreamInterruptedError`, both without secrets.
 *
 * @example
 * requestJson$({ url: `${baseURL}/models`, method: 'GET', headers }, secrets, 'lmstudio').subscribe((body) => …);
 */
export function requestJson$(request: HttpRequest, secrets: readonly string[], provider: string, transport?: TransportOptions): Observable<unknown> {
  return new Observable<unknown>((subscriber) => {
    const controller = new AbortController();
    let responded = false;
    let cancelBody: (() => void) | undefined;

    // a request whose credentials are made as it goes out: made first, their values kept secret
    let kept = secrets;
    const opened = request.credentials
      ? withCredentials(request).then((sent) => {
          kept = [...secrets, ...sent.secrets];
          return openResponse(sent.request, controller.signal, kept, transport);
        })
      : openResponse(request, controller.signal, secrets, transport);
    opened.then(
      (response) => {
        responded = true;
        if (subscriber.closed) {
          discardBody(response.body);
          return;
        }
        const ok = response.status >= 200 && response.status < 300;
        cancelBody = readBodyText(response.body, ok ? Infinity : MAX_ERROR_BODY, (text, error) => {
          cancelBody = undefined;
          const fail = (status: number, body: string) =>
            subscriber.error(toHttpError({ provider, status, headers: response.headers, text: body, url: request.url, secrets: kept, cut: error !== undefined }));
          if (!ok) return fail(response.status, text);
          if (error !== undefined) return subscriber.error(unreachable(request, error, kept, provider));
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            return fail(502, `not JSON: ${text.slice(0, 200)}`);
          }
          subscriber.next(body);
          subscriber.complete();
        });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) subscriber.error(unreachable(request, error, kept, provider));
      },
    );

    return () => {
      // before the response the request is aborted; after it, ending the body is enough
      if (!responded) controller.abort();
      cancelBody?.();
    };
  });
}

/** The adapter's error as rxllm's: its code and message (secrets removed), never the error itself, which carries the request. */
function unreachable(request: HttpRequest, error: unknown, secrets: readonly string[], provider: string): StreamInterruptedError {
  const code = (error as { code?: string })?.code;
  const detail = redactText(String((error as Error)?.message ?? error), secrets);
  return new StreamInterruptedError(`${provider}: ${redactText(request.url.split('?')[0], secrets)} could not be reached${code ? ` (${code})` : ''}: ${detail}`, {
    provider,
    retryable: true,
  });
}
