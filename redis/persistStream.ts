import type { Redis } from 'ioredis';
import * as t from 'io-ts';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn, NonEmptyString, PositiveInteger, refined } from '../lib/codec/readable';
import { publicErrorFields } from '../lib/errors/publicErrorFields';
import type { Chunk } from '../lib/types/chunk';
import { evalScript, luaScript } from './evalScript';
import { failureReporter, redisMessage } from './redisFailure';
import {
  CHUNK_FIELD,
  chunkEntryId,
  DEFAULT_KEY_PREFIX,
  END_FIELD,
  endEntryId,
  START_ENTRY_ID,
  START_FIELD,
  streamKey,
  type StoredStreamEnd,
} from './storedStream';

/**
 * Appends the entries of one event loop turn in one command: `XADD` each (id, field, value) triple
 * of ARGV[3…] to KEYS[1], capped at ARGV[1] entries, then sets the key's TTL to ARGV[2] seconds.
 */
const APPEND_ENTRIES = luaScript(`
for i = 3, #ARGV, 3 do
  redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], ARGV[i], ARGV[i + 1], ARGV[i + 2])
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
return (#ARGV - 2) / 3
`);

/** entries per command: the arguments of one call stay far below the engine's limit on spread arguments */
const MAX_BATCH = 1000;

export const PersistStreamConfig = t.partial(
  {
    /** seconds the stored stream lives after its last write (default 600); a dead producer's stream expires then */
    ttlSeconds: PositiveInteger,
    /** the most entries kept (default 100,000); older chunks are trimmed and a reader asking for them gets `StreamNotFoundError` */
    maxLen: refined(t.number, 'a whole number ≥ 2', (n) => Number.isInteger(n) && n >= 2),
    /** the prefix of the Redis key (default `'rxllm:stream:'`) */
    keyPrefix: t.string,
    /**
     * told when a Redis write fails (an Error naming the stream, with Redis's message and nothing of
     * the connection); the chat goes on regardless. Default: one process warning (`process.emitWarning`) per stream.
     */
    onPersistError: fn<(error: Error) => void>('a function (error) => void'),
  },
  'PersistStreamConfig',
);
export type PersistStreamConfig = t.TypeOf<typeof PersistStreamConfig>;

/** the stream id beside the configuration: one issue list names either by its own path */
const PersistStreamArguments = t.intersection([t.type({ streamId: NonEmptyString }), PersistStreamConfig]);

/**
 * Stores every chunk that passes, with its `seq`, in a Redis Stream, so that any process can serve
 * the answer to a client that reconnects (see `resumeStream$`), then an end marker — completed,
 * errored (with the error's public fields) or cancelled — when the stream ends. The answer is never
 * held back for Redis: chunks, completion and errors pass on at once. The entries queued while the
 * previous write was on its way go out as one command (a Lua script, one at a time per stream, so
 * they arrive in order), refreshing the key's TTL. A failed write never breaks the chat:
 * it goes to `onPersistError`.
 *
 * Use a new `streamId` for each answer. Chunks must arrive with increasing `seq` (as `streamChat$`
 * numbers them); put the operator last, after anything that drops or merges chunks.
 *
 * ```
 * chunks:  --a--b--c--|
 * persistStream(redis, id)          (Redis: s, a, b, c, e{completed})
 * result:  --a--b--c--|
 * ```
 *
 * @throws ConfigError when an argument is not one (`Invalid persistStream arguments: ttlSeconds: expected a positive integer, got 0`)
 *
 * @example
 * const id = randomUUID();
 * streamChat$('openai', messages).pipe(persistStream(redis, id, { ttlSeconds: 300 })).subscribe();
 * // any instance: resumeStream$(redis, id, { fromSeq: Number(req.headers['last-event-id'] ?? -1) })
 */
export function persistStream(redis: Redis, streamId: string, config: PersistStreamConfig = {}): MonoTypeOperatorFunction<Chunk> {
  const { ttlSeconds = 600, maxLen = 100_000, keyPrefix = DEFAULT_KEY_PREFIX, onPersistError } = checkConfig(
    PersistStreamArguments,
    { ...config, streamId },
    'persistStream arguments',
  );
  const key = streamKey(keyPrefix, streamId);

  return (source) =>
    new Observable<Chunk>((subscriber) => {
      /** entries not yet sent, flat: id, field, value, id, field, value, … */
      let pending: string[] = [];
      let scheduled = false;
      let lastSeq = -1;
      let ended = false;
      const reportFailure = failureReporter(onPersistError);
      const report = (error: unknown) => reportFailure(new Error(`rxllm/redis: persisting stream '${streamId}' failed: ${redisMessage(error)}`));
      /** one command in flight at a time, so entries reach Redis in order whatever each command meets (a NOSCRIPT retry, say) */
      let inFlight = false;
      const flush = () => {
        scheduled = false;
        if (inFlight || pending.length === 0) return;
        // what queued meanwhile goes in one command; a burst of thousands in commands of MAX_BATCH
        const batch = pending.length <= MAX_BATCH * 3 ? pending : pending.slice(0, MAX_BATCH * 3);
        pending = batch === pending ? [] : pending.slice(MAX_BATCH * 3);
        inFlight = true;
        evalScript(redis, APPEND_ENTRIES, [key], [maxLen, ttlSeconds, ...batch])
          .catch(report)
          .finally(() => {
            inFlight = false;
            flush();
          });
      };
      const write = (id: string, field: string, value: string) => {
        pending.push(id, field, value);
        if (!scheduled && !inFlight) {
          scheduled = true;
          queueMicrotask(flush);
        }
      };
      const end = (marker: StoredStreamEnd) => {
        if (ended) return;
        ended = true;
        write(endEntryId(lastSeq), END_FIELD, JSON.stringify(marker));
      };

      write(START_ENTRY_ID, START_FIELD, JSON.stringify({ startedAt: Date.now() }));
      const subscription = source.subscribe({
        next(chunk) {
          // queued before it passes on, so a subscriber that stops at this chunk still stores it
          if (!ended) {
            if (Number.isInteger(chunk.seq) && chunk.seq > lastSeq) {
              lastSeq = chunk.seq;
              write(chunkEntryId(chunk.seq), CHUNK_FIELD, JSON.stringify(chunk));
            } else {
              report(`chunk seq ${String(chunk.seq)} does not follow ${lastSeq}; it is not stored (persistStream needs increasing seq)`);
            }
          }
          subscriber.next(chunk);
        },
        error(error) {
          end({ status: 'error', error: publicErrorFields(error) });
          subscriber.error(error);
        },
        complete() {
          end({ status: 'completed' });
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        end({ status: 'cancelled' });
      };
    });
}
