import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * The caller's `signal` aborted the stream, before or during the request: the request was aborted
 * and its socket closed. An abort is not a failure: it is never retryable (recovery does not retry
 * it) and `trackMetrics` ends with `status: 'cancelled'`, as for an unsubscribe.
 *
 * `name` is `'AbortError'`, as the DOM's, so `error.name === 'AbortError'` checks written for `fetch`
 * keep working; `isAbortError` is true only for rxllm's. `reason` (and `cause`) is the signal's
 * `reason` as it is — a `DOMException` named `AbortError` for `controller.abort()`, or whatever was
 * passed to `controller.abort(reason)`. Since the reason is the caller's own data, the message names
 * only its kind (an error's `name`, else its type), never its text.
 *
 * @example
 * const controller = new AbortController();
 * streamChat$('openai', messages, { signal: controller.signal }).subscribe({
 *   error: (e) => (isAbortError(e) ? showStopped(e.reason) : showFailure(e)),
 * });
 * stopButton.onclick = () => controller.abort(new Error('user left'));
 * // → AbortError: openai: aborted by the caller's signal (reason: Error)
 */
export class AbortError extends RxllmError {
  override name = 'AbortError';
  /** the signal's `reason`, as it is */
  readonly reason: unknown;

  constructor(init: { provider?: string; reason: unknown }) {
    super(`${init.provider ?? 'stream'}: aborted by the caller's signal (reason: ${kindOf(init.reason)})`, {
      provider: init.provider,
      retryable: false,
      cause: init.reason,
    });
    this.reason = init.reason;
  }
}

export const isAbortError = isErrorNamed<AbortError>('AbortError');

/** An error's `name` (`AbortError`, `TimeoutError`, `Error`), else the value's type; never its text. */
function kindOf(reason: unknown): string {
  if (reason === undefined) return 'none';
  if (reason === null) return 'null';
  if (typeof reason === 'object') {
    const name = (reason as { name?: unknown }).name;
    if (reason instanceof Error || (typeof name === 'string' && typeof (reason as { message?: unknown }).message === 'string')) {
      return typeof name === 'string' && /^[\w$.-]{1,60}$/.test(name) ? name : 'an error';
    }
    return Array.isArray(reason) ? 'an array' : 'an object';
  }
  return `a ${typeof reason}`;
}
