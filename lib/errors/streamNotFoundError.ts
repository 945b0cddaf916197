import { isErrorNamed, RxllmError } from './rxllmError';

/** Why a stored stream cannot be read. */
export type StreamNotFoundReason = 'unknown' | 'expired' | 'trimmed';

/**
 * A stored stream (see `persistStream` / `resumeStream$` in `rxllm/redis`) cannot be read: no stream
 * has this id (`unknown`), it expired while a reader waited for it (`expired`), or the chunks the
 * reader asked for were trimmed away by `maxLen` (`trimmed`).
 *
 * @example
 * resumeStream$(redis, id, { fromSeq }).subscribe({ error: (e) => isStreamNotFoundError(e) && res.status(404).end() });
 */
export class StreamNotFoundError extends RxllmError {
  override name = 'StreamNotFoundError';
  readonly streamId: string;
  readonly reason: StreamNotFoundReason;

  constructor(init: { streamId: string; reason: StreamNotFoundReason; detail?: string }) {
    const what = {
      unknown: 'no stream has this id (never started, or expired)',
      expired: 'it expired while the reader waited (its producer stopped writing)',
      trimmed: 'the chunks asked for were trimmed away (raise maxLen)',
    }[init.reason];
    super(`Stream '${init.streamId}' cannot be read: ${what}${init.detail ? ` — ${init.detail}` : ''}`);
    this.streamId = init.streamId;
    this.reason = init.reason;
  }
}

export const isStreamNotFoundError = isErrorNamed<StreamNotFoundError>('StreamNotFoundError');
