import { Observable } from 'rxjs';
import { isAbortError } from '../errors/abortError';
import type { Chunk } from '../types/chunk';
import type { Telemetry, TelemetryRequest, TelemetryRun } from '../types/telemetry';

/**
 * A run told to an observer (the `telemetry` option): for each subscription `telemetry.start`,
 * the run made for it by `run$(run)` subscribed inside `run.within` (so retries, tool executions
 * and an HTTP instrumentation see the observer's context), each chunk delivered to `run.chunk`, and
 * `run.end` exactly once — `completed`, `error`, or `cancelled` on unsubscribe and on an abort
 * through the caller's `signal`. The observer hears of the end before the subscriber does.
 *
 * ```
 * run$:     --a--b--|
 * observed: --a--b--|      start at subscribe; chunk(a), chunk(b); end({ status: 'completed' })
 * ```
 *
 * @example
 * observeRun(telemetry, request, (run) => answerTo(messages, wire, run.attempt));
 */
export function observeRun(telemetry: Telemetry, request: TelemetryRequest, run$: (run: TelemetryRun) => Observable<Chunk>): Observable<Chunk> {
  return new Observable<Chunk>((subscriber) => {
    const run = telemetry.start(request);
    let ended = false;
    const end = (outcome: Parameters<TelemetryRun['end']>[0]) => {
      if (ended) return;
      ended = true;
      run.end(outcome);
    };
    const subscription = run.within(() =>
      run$(run).subscribe({
        next: (chunk) => {
          run.chunk(chunk);
          subscriber.next(chunk);
        },
        error: (error: unknown) => {
          end(isAbortError(error) ? { status: 'cancelled' } : { status: 'error', error });
          subscriber.error(error);
        },
        complete: () => {
          end({ status: 'completed' });
          subscriber.complete();
        },
      }),
    );
    return () => {
      subscription.unsubscribe();
      end({ status: 'cancelled' });
    };
  });
}
