import type { PublicErrorFields } from '../lib/errors/publicErrorFields';

/**
 * How a stream is laid out in Redis, shared by the writer (`persistStream`) and the reader
 * (`resumeStream$`). One Redis Stream per chat stream, at `keyPrefix + streamId`:
 *
 * | entry id        | field | value                                   |
 * |-----------------|-------|-----------------------------------------|
 * | `0-1`           | `s`   | start marker: `{ startedAt }`            |
 * | `<seq + 1>-0`   | `c`   | the chunk as JSON (its `seq` inside)     |
 * | `<last + 2>-0`  | `e`   | end marker: `StoredStreamEnd` as JSON    |
 *
 * The entry id follows the chunk's `seq`, so a reader that has everything up to `seq` asks Redis
 * for the entries after `<seq + 1>-0` (`XREAD` is exclusive) and receives each chunk exactly once.
 */
export const DEFAULT_KEY_PREFIX = 'rxllm:stream:';

export const START_FIELD = 's';
export const CHUNK_FIELD = 'c';
export const END_FIELD = 'e';

/** The entry id of the start marker: the first possible id, before every chunk. */
export const START_ENTRY_ID = '0-1';

/** The entry id of the chunk with this `seq`. */
export const chunkEntryId = (seq: number): string => `${seq + 1}-0`;

/** The entry id of the end marker after the chunk `lastSeq` (-1: no chunk). */
export const endEntryId = (lastSeq: number): string => `${lastSeq + 2}-0`;

/** The exclusive cursor from which a reader that has every chunk up to `seq` reads on (-1: none yet). */
export const cursorAfter = (seq: number): string => (seq < 0 ? '0-0' : chunkEntryId(seq));

/** How the stored stream ended. */
export type StoredStreamEnd =
  | { status: 'completed' }
  | { status: 'error'; error: PublicErrorFields }
  | { status: 'cancelled' };

/** The Redis key of a stream. */
export const streamKey = (keyPrefix: string, streamId: string): string => `${keyPrefix}${streamId}`;
