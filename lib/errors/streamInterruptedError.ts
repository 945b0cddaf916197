import type { ChatResponse } from '../types/chatResponse';
import { isErrorNamed, RxllmError, type RxllmErrorOptions } from './rxllmError';

/**
 * The stream ended before the answer did: the connection broke, the server closed without its
 * terminator, or recovery spent its retries. `partial` is what the subscriber had received.
 */
export class StreamInterruptedError extends RxllmError {
  override name = 'StreamInterruptedError';
  /** every failure that led here, oldest first (one unless recovery retried) */
  readonly causes: unknown[];
  declare partial?: ChatResponse;

  constructor(message: string, options: RxllmErrorOptions & { causes?: unknown[] } = {}) {
    super(message, { retryable: true, ...options });
    this.causes = options.causes ?? (options.cause === undefined ? [] : [options.cause]);
  }
}

export const isStreamInterruptedError = isErrorNamed<StreamInterruptedError>('StreamInterruptedError');
