import { defer, fromEvent, NEVER, switchMap, take, throwError, type Observable } from 'rxjs';
import { AbortError } from '../errors/abortError';

/**
 * Fails with `AbortError` when `signal` aborts — at once on subscription if it already has — and
 * emits nothing otherwise (never, without a signal). Raced with a wait, it ends the wait on an abort.
 *
 * @example
 * race(whenAborted$(signal, 'openai'), from(limiter.acquire(request)).pipe(take(1)));
 *
 * @param signal the caller's `signal` option
 * @param provider the provider id the error names
 */
export function whenAborted$(signal: AbortSignal | undefined, provider?: string): Observable<never> {
  if (!signal) return NEVER;
  const aborted = () => throwError(() => new AbortError({ provider, reason: signal.reason }));
  return defer(() => (signal.aborted ? aborted() : fromEvent(signal, 'abort').pipe(take(1), switchMap(aborted))));
}
