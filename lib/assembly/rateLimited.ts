import { concat, defer, finalize, from, identity, ignoreElements, race, take, tap, type Observable } from 'rxjs';
import type { StreamChunksSettings } from '../transport/streamChunks';
import type { Chunk } from '../types/chunk';
import type { RateLimiter, RateLimitRequest } from '../types/rateLimiter';
import type { Usage } from '../types/usage';
import { whenAborted$ } from './whenAborted';

/**
 * One request behind a `RateLimiter`: waits for `acquire`, then opens the stream with settings
 * that also tell the limiter the response headers, and tells it the attempt's last usage when the
 * attempt ends (completed, failed or cancelled). Unsubscribing while waiting stops the wait, and so
 * does an abort of the caller's `signal`, which fails the stream with `AbortError` (an already aborted
 * signal fails it before `acquire` is asked).
 *
 * @param open opens the stream with the given settings (`streamChunks$` for one request)
 */
export function rateLimited(
  limiter: RateLimiter,
  provider: string,
  settings: StreamChunksSettings,
  open: (settings: StreamChunksSettings) => Observable<Chunk>,
): Observable<Chunk> {
  const request: RateLimitRequest = { provider };
  return defer(() => {
    let usage: Usage | undefined;
    const withLimiter: StreamChunksSettings = {
      ...settings,
      onResponse: (info) => {
        limiter.onResponse?.(request, info);
        settings.onResponse?.(info);
      },
    };
    const chunks$ = open(withLimiter).pipe(
      limiter.onUsage
        ? tap((chunk: Chunk) => {
            if (chunk.usage) usage = chunk.usage;
          })
        : identity,
    );
    // the caller's signal ends the wait too (with AbortError); already aborted, acquire is not even asked
    const admitted$ = race(whenAborted$(settings.signal, provider), defer(() => from(limiter.acquire(request))).pipe(take(1)));
    return concat(admitted$.pipe(ignoreElements()), chunks$).pipe(
      finalize(() => {
        if (usage) limiter.onUsage?.(request, usage);
      }),
    );
  });
}
