import { isErrorNamed, RxllmError } from './rxllmError';

export interface HttpErrorInit {
  provider?: string;
  status: number;
  /** the parsed JSON body, or the raw text when it is not JSON (secrets removed) */
  body: unknown;
  /** response headers, authentication values redacted */
  headers: Record<string, string>;
  /** a readable message taken from the body */
  detail: string;
  retryAfterMs?: number;
  retryable: boolean;
  url?: string;
}

/**
 * The server answered with a non-2xx status before streaming.
 *
 * @example
 * streamChat$('openai', messages).pipe(
 *   catchError((e) => (isHttpError(e) && e.status === 401 ? of(loginHint) : throwError(() => e))),
 * );
 */
export class HttpError extends RxllmError {
  override name = 'HttpError';
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  /** how long the server asked to wait before retrying (`retry-after-ms`, `retry-after`, Gemini `RetryInfo`) */
  readonly retryAfterMs?: number;
  /** the endpoint, without query string */
  readonly url?: string;

  constructor(init: HttpErrorInit) {
    super(`${init.provider ?? 'server'} answered HTTP ${init.status}: ${init.detail}`, {
      provider: init.provider,
      retryable: init.retryable,
    });
    this.status = init.status;
    this.body = init.body;
    this.headers = init.headers;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.url !== undefined) this.url = init.url;
  }
}

export const isHttpError = isErrorNamed<HttpError>('HttpError');
