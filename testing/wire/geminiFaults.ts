import type { MockStatusFault } from '../mockFault';
import { googleJson } from './googleJson';

/** A Google API error, `{ code, message, status }`, with `details` when it has any. */
interface GoogleError {
  code: number;
  message: string;
  status: string;
  details?: Array<Record<string, unknown>>;
}

/** A Google API error body, `{ error: { code, message, status } }`. */
export function geminiErrorBody(code: number, status: string, message: string): { error: GoogleError } {
  return { error: { code, message, status } };
}

/** Google's canonical status and Gemini's message for an HTTP status. */
function googleStatus(code: number): { status: string; message: string } {
  switch (code) {
    case 400:
      return { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' };
    case 401:
      return { status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' };
    case 403:
      return { status: 'PERMISSION_DENIED', message: 'The caller does not have permission.' };
    case 404:
      return { status: 'NOT_FOUND', message: 'Requested entity was not found.' };
    case 409:
      return { status: 'ABORTED', message: 'The operation was aborted.' };
    case 429:
      return { status: 'RESOURCE_EXHAUSTED', message: 'You exceeded your current quota, please check your plan and billing details.' };
    case 499:
      return { status: 'CANCELLED', message: 'The operation was cancelled.' };
    case 503:
      return { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' };
    case 504:
      return { status: 'DEADLINE_EXCEEDED', message: 'Deadline expired before operation could complete.' };
    default:
      return code >= 500
        ? { status: 'INTERNAL', message: 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting' }
        : { status: 'FAILED_PRECONDITION', message: `The request failed with status ${code}.` };
  }
}

/** `retry-after` as whole or fractional seconds: a number, or an HTTP date counted from now; `undefined` when unreadable. */
function retryAfterSeconds(retryAfter: string | undefined): number | undefined {
  if (retryAfter === undefined || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * Gemini's HTTP error body for a `status` fault: `{ error: { code, message, status } }` with Google's
 * canonical status (429 `RESOURCE_EXHAUSTED`, 503 `UNAVAILABLE`, …). A 429 carries Gemini's retry
 * hint, a `google.rpc.RetryInfo` detail whose `retryDelay` is the fault's `retryAfter` in seconds
 * (`"0s"` when it has none), since Gemini says it in the body rather than in a header.
 *
 * @example
 * geminiStatusErrorBody({ kind: 'status', status: 429, retryAfter: '2' }).error.details;
 * // [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' }]
 */
export function geminiStatusErrorBody({ status: code, retryAfter }: MockStatusFault): { error: GoogleError } {
  const { status, message } = googleStatus(code);
  const body = geminiErrorBody(code, status, message);
  if (code === 429) body.error.details = [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${retryAfterSeconds(retryAfter) ?? 0}s` }];
  return body;
}

/** Gemini's error inside a 200 stream, as a `data:` event: `{"error": {"code": 503, …, "status": "UNAVAILABLE"}}`. */
export const GEMINI_ERROR_FRAME = `data: ${googleJson(geminiErrorBody(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.'))}\r\n\r\n`;
