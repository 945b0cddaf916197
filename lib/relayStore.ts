import { Observable, ReplaySubject, tap, type MonoTypeOperatorFunction } from 'rxjs';
import { StoredStreamError } from './errors/storedStreamError';
import { StreamNotFoundError } from './errors/streamNotFoundError';
import type { Chunk } from './types/chunk';

/**
 * Where a relay keeps the streams it runs, so that a page whose connection dropped picks its stream
 * up again after the last chunk it has (`last-event-id`): `memoryRelayStore()` on one server,
 * `redisRelayStore(redis)` (`rxllm/redis`) on any instance that reaches the same Redis.
 */
export interface RelayStore {
  /** keeps the chunks of stream `id` as they pass, and how it ended */
  keep(id: string): MonoTypeOperatorFunction<Chunk>;
  /** the chunks of stream `id` after `fromSeq` — those kept, then the live ones — to its end; an unknown id errors */
  replay$(id: string, fromSeq: number): Observable<Chunk>;
}

/**
 * A `RelayStore` in this process's memory: each stream's chunks until `ttlMs` after it ended
 * (default 60 s). A reconnect must reach the same process; across instances use `redisRelayStore`.
 *
 * @example
 * const relay = createChatRelay({ provider: 'openai', store: memoryRelayStore() });
 */
export function memoryRelayStore({ ttlMs = 60_000 }: { ttlMs?: number } = {}): RelayStore {
  const streams = new Map<string, ReplaySubject<Chunk>>();
  const forget = (id: string) => setTimeout(() => streams.delete(id), ttlMs).unref?.();
  return {
    keep(id) {
      return (source) =>
        new Observable<Chunk>((subscriber) => {
          const kept = new ReplaySubject<Chunk>();
          streams.set(id, kept);
          const subscription = source
            .pipe(
              tap({
                next: (chunk) => kept.next(chunk),
                error: (error: unknown) => (kept.error(error), forget(id)),
                complete: () => (kept.complete(), forget(id)),
                unsubscribe: () => (kept.error(new StoredStreamError({ streamId: id, ended: 'cancelled' })), forget(id)),
              }),
            )
            .subscribe(subscriber);
          return () => subscription.unsubscribe();
        });
    },
    replay$(id, fromSeq) {
      return new Observable<Chunk>((subscriber) => {
        const kept = streams.get(id);
        if (!kept) {
          subscriber.error(new StreamNotFoundError({ streamId: id, reason: 'unknown' }));
          return undefined;
        }
        return kept.subscribe({
          next: (chunk) => chunk.seq > fromSeq && subscriber.next(chunk),
          error: (error: unknown) => subscriber.error(error),
          complete: () => subscriber.complete(),
        });
      });
    },
  };
}
