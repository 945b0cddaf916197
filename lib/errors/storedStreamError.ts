import type { PublicErrorFields } from './publicErrorFields';
import { isErrorNamed, RxllmError } from './rxllmError';

/**
 * A stored stream read with `resumeStream$` (in `rxllm/redis`) ended without completing on the
 * process that produced it: with an error there (`ended: 'error'`, whose public fields are in
 * `original`), or cancelled (`ended: 'cancelled'`: its subscriber went away).
 *
 * @example
 * resumeStream$(redis, id).subscribe({ error: (e) => isStoredStreamError(e) && e.original?.status === 429 && retryLater() });
 */
export class StoredStreamError extends RxllmError {
  override name = 'StoredStreamError';
  readonly streamId: string;
  readonly ended: 'error' | 'cancelled';
  /** the producer's error, as far as it may leave that process */
  readonly original?: PublicErrorFields;

  constructor(init: { streamId: string; ended: 'error' | 'cancelled'; original?: PublicErrorFields }) {
    super(
      init.ended === 'cancelled'
        ? `Stream '${init.streamId}' was cancelled by its producer before it finished`
        : `Stream '${init.streamId}' failed on its producer: ${init.original?.name ?? 'Error'}: ${init.original?.message ?? 'unknown error'}`,
      { retryable: init.ended === 'error' && init.original?.retryable === true },
    );
    this.streamId = init.streamId;
    this.ended = init.ended;
    if (init.original) this.original = init.original;
  }
}

export const isStoredStreamError = isErrorNamed<StoredStreamError>('StoredStreamError');
