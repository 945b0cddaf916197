import type { MockStatusFault } from '../mockFault';

/**
 * LM Studio's HTTP error body for a `status` fault: `{ error: "<text>" }` — a string, not
 * OpenAI's object — as its REST API answers errors.
 *
 * @example
 * lmstudioErrorBody({ kind: 'status', status: 503 }); // { error: 'Model is busy, try again later (status 503)' }
 */
export function lmstudioErrorBody({ status }: MockStatusFault): { error: string } {
  if (status === 429) return { error: 'Too many requests, try again later (status 429)' };
  if (status >= 500) return { error: `Model is busy, try again later (status ${status})` };
  return { error: `Request failed (status ${status})` };
}

/**
 * LM Studio's 400 body for a request it cannot take: `{ error: message }`, as its REST API says it.
 *
 * @example
 * lmstudioInvalidRequest("'messages' field is required"); // { error: "'messages' field is required" }
 */
export function lmstudioInvalidRequest(message: string): { error: string } {
  return { error: message };
}
