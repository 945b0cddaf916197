import type { ProviderStreamError } from './errors/providerStreamError';
import { toProviderStreamError } from './toProviderStreamError';

/**
 * The error in text that came inside a stream but outside its framing, or `undefined` when the
 * text holds no error (then it is ignored, as an EventSource ignores what it does not understand).
 * Two forms: a bare JSON object such as `{"error": {"code": 499, "status": "CANCELLED", "message":
 * …}}` appended to an SSE body (Gemini), and an SSE line whose field is `error` — `error:
 * {"code": 500, "message": …, "type": "server_error"}` — which llama.cpp's server (and the servers
 * built on it) send when a streamed completion fails, before their `data: [DONE]`.
 *
 * @example
 * providerErrorInText('lmstudio', 'error: {"code":500,"message":"model crashed","type":"server_error"}')?.message;
 * // 'lmstudio stream error (server_error): model crashed'
 */
export function providerErrorInText(provider: string, text: string): ProviderStreamError | undefined {
  const payload = parseJson(text);
  if (payload !== null && typeof payload === 'object') {
    const error = (payload as { error?: unknown }).error;
    return error === undefined || error === null ? undefined : toProviderStreamError(provider, payload as { error: unknown });
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('error:')) continue;
    const value = line.slice(line[6] === ' ' ? 7 : 6);
    const parsed = parseJson(value);
    const error = parsed !== null && typeof parsed === 'object' && (parsed as { error?: unknown }).error !== undefined ? (parsed as { error: unknown }) : { error: parsed ?? value };
    return toProviderStreamError(provider, error);
  }
  return undefined;
}

/** the value of a JSON text, or `undefined` for one that does not parse */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
