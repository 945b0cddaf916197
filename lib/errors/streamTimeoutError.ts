import { isErrorNamed, RxllmError } from './rxllmError';

export type StreamTimeoutKind = 'first-chunk' | 'idle' | 'total';

/** A `timeout` limit ran out; the request was aborted. Idle and first-chunk timeouts are retryable. */
export class StreamTimeoutError extends RxllmError {
  override name = 'StreamTimeoutError';
  readonly kind: StreamTimeoutKind;
  readonly timeoutMs: number;

  constructor(init: { provider?: string; kind: StreamTimeoutKind; timeoutMs: number }) {
    super(`${init.provider ?? 'stream'}: ${init.kind} timeout after ${init.timeoutMs} ms`, {
      provider: init.provider,
      retryable: init.kind !== 'total',
    });
    this.kind = init.kind;
    this.timeoutMs = init.timeoutMs;
  }
}

export const isStreamTimeoutError = isErrorNamed<StreamTimeoutError>('StreamTimeoutError');
