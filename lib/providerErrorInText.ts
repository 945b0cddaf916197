import type { ProviderStreamError } from './errors/providerStreamError';
import { toProviderStreamError } from './toProviderStreamError';

/**
 * The error in text that came inside a stream but outside its framing — a bare JSON object such
 * as `{"error": {"code": 499, "status": "CANCELLED", "message": …}}` appended to an SSE body — or
 * `undefined` when the text holds no error (then it is ignored, as an EventSource ignores what it
 * does not understand).
 */
export function providerErrorInText(provider: string, text: string): ProviderStreamError | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object') return undefined;
  const error = (payload as { error?: unknown }).error;
  return error === undefined || error === null ? undefined : toProviderStreamError(provider, payload as { error: unknown });
}
