import type { MockStatusFault } from '../mockFault';

/**
 * Ollama's HTTP error body for a `status` fault: `{ error: "<text>" }` (429 `rate limit exceeded`, as
 * a model runner answers it; a 5xx the runner's failure).
 *
 * @example
 * ollamaErrorBody({ kind: 'status', status: 429 }); // { error: 'rate limit exceeded' }
 */
export function ollamaErrorBody({ status }: MockStatusFault): { error: string } {
  if (status === 429) return { error: 'rate limit exceeded' };
  if (status === 502) return { error: 'model runner unreachable' };
  if (status >= 500) return { error: 'an error was encountered while running the model' };
  return { error: `request failed with status ${status}` };
}

/**
 * Ollama's 400 body for a request it cannot take: `{ error: message }`.
 *
 * @example
 * ollamaInvalidRequest('model is required'); // { error: 'model is required' }
 */
export function ollamaInvalidRequest(message: string): { error: string } {
  return { error: message };
}

/** Ollama's error inside a 200 stream: one `{"error": …}` line, after which the stream ends without `done`. */
export const OLLAMA_ERROR_LINE = '{"error":"an error was encountered while running the model"}\n';
