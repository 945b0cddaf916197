/** What a response's rate-limit headers say about the next request. */
export interface RateLimitHint {
  /** requests left in the current window */
  remaining?: number;
  /** ms until the window resets */
  resetMs?: number;
}

/**
 * Reads the request rate-limit headers of OpenAI-style servers (`x-ratelimit-remaining-requests`,
 * `x-ratelimit-reset-requests` as a Go duration such as `1s`, `6m0s`, `12ms`), Anthropic
 * (`anthropic-ratelimit-requests-remaining`, `anthropic-ratelimit-requests-reset` as an RFC 3339
 * time) and Mistral (`x-ratelimit-remaining-req-minute`, a one-minute window).
 *
 * @example
 * rateLimitHint({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s' }); // { remaining: 0, resetMs: 1500 }
 */
export function rateLimitHint(headers: Record<string, string>, now = Date.now()): RateLimitHint {
  const hint: RateLimitHint = {};
  const remaining =
    headers['x-ratelimit-remaining-requests'] ?? headers['anthropic-ratelimit-requests-remaining'] ?? headers['x-ratelimit-remaining-req-minute'];
  if (remaining !== undefined && remaining.trim() !== '' && Number.isFinite(Number(remaining))) hint.remaining = Number(remaining);
  const goReset = headers['x-ratelimit-reset-requests'];
  const anthropicReset = headers['anthropic-ratelimit-requests-reset'];
  if (goReset !== undefined) {
    const ms = goDurationMs(goReset);
    if (ms !== undefined) hint.resetMs = ms;
  } else if (anthropicReset !== undefined) {
    const at = Date.parse(anthropicReset);
    if (!Number.isNaN(at)) hint.resetMs = Math.max(0, at - now);
  } else if (headers['x-ratelimit-remaining-req-minute'] !== undefined) {
    hint.resetMs = 60_000;
  }
  return hint;
}

const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 0.000001 };

/** A Go duration string (`1h2m3.5s`, `12ms`) in ms, or `undefined`. */
function goDurationMs(text: string): number | undefined {
  const parts = text.trim().match(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g);
  if (!parts || parts.join('') !== text.trim()) return undefined;
  let ms = 0;
  for (const part of parts) {
    const [, value, unit] = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/.exec(part)!;
    ms += Number(value) * UNIT_MS[unit];
  }
  return ms;
}
