import type { Redis } from 'ioredis';
import * as t from 'io-ts';
import { Observable, throwError } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { NonEmptyString, PositiveInteger, refined } from '../lib/codec/readable';
import { ConfigError } from '../lib/errors/configError';
import { isRxllmError } from '../lib/errors/rxllmError';
import { StoredStreamError } from '../lib/errors/storedStreamError';
import { StreamInterruptedError } from '../lib/errors/streamInterruptedError';
import { StreamNotFoundError } from '../lib/errors/streamNotFoundError';
import type { Chunk } from '../lib/types/chunk';
import { render } from '../lib/codec/reportErrors';
import { redisMessage, withoutSecrets } from './redisFailure';
import { CHUNK_FIELD, cursorAfter, DEFAULT_KEY_PREFIX, END_FIELD, streamKey, type StoredStreamEnd } from './storedStream';

export const ResumeStreamConfig = t.partial(
  {
    /**
     * the `seq` of the last chunk the client has (a browser's `Last-Event-ID`); the replay starts
     * after it. Default -1: from the first chunk.
     */
    fromSeq: refined(t.number, 'a whole number ≥ -1', (n) => Number.isInteger(n) && n >= -1),
    /** how long one blocking read waits before the reader checks that the stream still exists, in ms (default 5000) */
    blockMs: refined(t.number, 'a whole number of ms ≥ 1', (n) => Number.isInteger(n) && n >= 1),
    /** entries per read (default 500) */
    count: PositiveInteger,
    /**
     * how long to wait for a stream that has not started (its producer's first write may still be
     * on its way), in ms (default 3000); 0: an unknown id errors at once
     */
    startTimeoutMs: refined(t.number, 'a whole number of ms ≥ 0', (n) => Number.isInteger(n) && n >= 0),
    /** the prefix of the Redis key (default `'rxllm:stream:'`, as in `persistStream`) */
    keyPrefix: t.string,
  },
  'ResumeStreamConfig',
);
export type ResumeStreamConfig = t.TypeOf<typeof ResumeStreamConfig>;

/** the stream id beside the configuration: one issue list names either by its own path */
const ResumeStreamArguments = t.intersection([t.type({ streamId: NonEmptyString }), ResumeStreamConfig]);

/**
 * Reads a stream stored by `persistStream` — on any process that reaches the same Redis: the
 * chunks after `fromSeq` that are stored already, then the live ones as the producer writes them
 * (blocking reads on a connection of its own), until the end marker. Each chunk arrives exactly
 * once and in `seq` order; the Observable completes when the producer completed, and errors with
 * `StoredStreamError` when it failed or was cancelled. An id that has no stream within
 * `startTimeoutMs`, or a stream that expires while the reader waits (its producer died without an
 * end marker), gives `StreamNotFoundError` — a reader is never left waiting forever. Unsubscribing closes the reader's connection.
 *
 * ```
 * stored:  a b c (live:) --d--e--|
 * resumeStream$(redis, id, { fromSeq: a.seq })
 * result:  (bc)--d--e--|
 * ```
 *
 * @example
 * app.get('/chat/:id/events', (req, res) => {
 *   const fromSeq = req.headers['last-event-id'] === undefined ? -1 : Number(req.headers['last-event-id']);
 *   resumeStream$(redis, req.params.id, { fromSeq }).pipe(pipeToResponse(res)).subscribe();
 * });
 */
export function resumeStream$(redis: Redis, streamId: string, config: ResumeStreamConfig = {}): Observable<Chunk> {
  let checked: ResumeStreamConfig;
  try {
    checked = checkConfig(ResumeStreamArguments, { ...config, streamId }, 'resumeStream$ arguments');
  } catch (error) {
    return throwError(() => error);
  }
  const { fromSeq = -1, blockMs = 5000, count = 500, startTimeoutMs = 3000, keyPrefix = DEFAULT_KEY_PREFIX } = checked;
  const key = streamKey(keyPrefix, streamId);

  return new Observable<Chunk>((subscriber) => {
    // blocking reads hold their connection: the reader has one of its own
    const reader = redis.duplicate();
    reader.on('error', () => {
      // connection errors reach the reads that fail by them
    });
    let closed = false;
    let expected = fromSeq + 1;
    let cursor = cursorAfter(fromSeq);

    /** handles one entry; true when it ended the stream */
    const take = (fields: string[]): boolean => {
      const [field, value] = fields;
      if (field === CHUNK_FIELD) {
        const chunk = JSON.parse(value) as Chunk;
        if (chunk.seq < expected) return false;
        if (chunk.seq > expected) {
          throw new StreamNotFoundError({ streamId, reason: 'trimmed', detail: `chunks ${expected}…${chunk.seq - 1} are no longer stored` });
        }
        expected++;
        subscriber.next(chunk);
        return false;
      }
      if (field === END_FIELD) {
        const end = JSON.parse(value) as StoredStreamEnd;
        if (end.status === 'completed') subscriber.complete();
        else subscriber.error(new StoredStreamError({ streamId, ended: end.status, original: end.status === 'error' ? end.error : undefined }));
        return true;
      }
      return false; // the start marker, or a field of a later version
    };

    /**
     * Whether the stream exists; and a check that the reader does not wait past its end (a client
     * claiming chunks beyond the last one would otherwise wait for nothing).
     */
    const checkTail = async (): Promise<boolean> => {
      const last = await reader.xrevrange(key, '+', '-', 'COUNT', 1);
      if (last.length === 0) return false;
      const [id, fields] = last[0];
      const lastSeq = Number(id.slice(0, id.indexOf('-'))) - 2;
      if (fields[0] === END_FIELD && fromSeq > lastSeq) {
        throw new ConfigError('resumeStream$ arguments', [{ path: 'fromSeq', expected: `at most ${lastSeq}, the stream's last chunk`, got: render(fromSeq) }]);
      }
      return true;
    };

    const read = async () => {
      // a stream that does not exist yet may be about to: its producer's first write can be on its way
      let startBy = (await checkTail()) ? undefined : Date.now() + startTimeoutMs;
      if (startBy !== undefined && startTimeoutMs === 0) throw new StreamNotFoundError({ streamId, reason: 'unknown' });
      while (!closed) {
        const wait = startBy === undefined ? blockMs : Math.max(1, Math.min(blockMs, startBy - Date.now()));
        const result = await reader.xread('COUNT', count, 'BLOCK', wait, 'STREAMS', key, cursor);
        if (closed) return;
        if (!result) {
          // nothing new within the wait: go on waiting while the stream exists
          if (await checkTail()) startBy = undefined;
          else if (startBy === undefined) throw new StreamNotFoundError({ streamId, reason: 'expired' });
          else if (Date.now() >= startBy) throw new StreamNotFoundError({ streamId, reason: 'unknown' });
          continue;
        }
        startBy = undefined;
        for (const [id, fields] of result[0][1]) {
          cursor = id;
          if (take(fields) || closed) return;
        }
      }
    };

    read()
      .catch((error: unknown) => {
        if (closed || subscriber.closed) return;
        subscriber.error(
          isRxllmError(error)
            ? error
            : new StreamInterruptedError(`Reading stream '${streamId}' from Redis failed: ${redisMessage(error)}`, {
                retryable: true,
                cause: withoutSecrets(error),
              }),
        );
      })
      .finally(() => reader.disconnect());

    return () => {
      closed = true;
      reader.disconnect();
    };
  });
}
