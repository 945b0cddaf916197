import { isRxllmError } from './rxllmError';

/** What of an error may leave the process (to a browser, to Redis): never headers, bodies or causes. */
export interface PublicErrorFields {
  name: string;
  message: string;
  retryable: boolean;
  /** the HTTP status, for an `HttpError` */
  status?: number;
}

/**
 * The public fields of an error: for an rxllm error its name, message (rxllm messages hold no
 * secret), `retryable` and HTTP `status`; for anything else a generic message, since a foreign
 * error's message may carry anything.
 */
export function publicErrorFields(error: unknown): PublicErrorFields {
  if (isRxllmError(error)) {
    const fields: PublicErrorFields = { name: error.name, message: error.message, retryable: error.retryable };
    const status = (error as { status?: unknown }).status;
    if (typeof status === 'number') fields.status = status;
    return fields;
  }
  return { name: 'Error', message: 'The stream failed.', retryable: false };
}
