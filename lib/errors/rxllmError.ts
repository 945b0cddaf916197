import type { ChatResponse } from '../types/chatResponse';

const BRAND = Symbol.for('rxllm.error');

export interface RxllmErrorOptions {
  cause?: unknown;
  provider?: string;
  retryable?: boolean;
}

/**
 * The base of every error rxllm raises. `name` tells the class; `retryable` says whether the same
 * request may succeed when sent again; `partial` holds the answer received before a mid-stream
 * failure. No message or field of an rxllm error contains an API key.
 */
export class RxllmError extends Error {
  override name = 'RxllmError';
  /** the provider id of the request that failed, when there was one */
  provider?: string;
  /** whether sending the same request again may succeed */
  retryable: boolean;
  /** the answer received before the failure, set when the failure came mid-stream */
  partial?: ChatResponse;

  constructor(message: string, options: RxllmErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable ?? false;
    if (options.provider !== undefined) this.provider = options.provider;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }
}

/** True for an rxllm error, also one thrown by another copy of the package. */
export function isRxllmError(error: unknown): error is RxllmError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

/** A guard for one error class by its `name`, working across copies of the package. */
export const isErrorNamed =
  <E extends RxllmError>(name: string) =>
  (error: unknown): error is E =>
    isRxllmError(error) && error.name === name;
