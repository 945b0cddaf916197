/** What a response's rate-limit headers say about the next request. */
export interface RateLimitHint {
  /** requests left in the current window */
  remaining?: number;
  /** ms until the request window resets */
  resetMs?: number;
  /** tokens left in the current window: the smallest of the token limits the response reports */
  tokensRemaining?: number;
  /** ms until that token window resets */
  tokensResetMs?: number;
}

/** How long an exhausted window blocks when the response does not say when it resets. */
const UNKNOWN_RESET_MS = 1000;

/**
 * How long the hint says no request may start: the longer reset of an exhausted request or token
 * window (1 s when it does not say), or `undefined` while requests and tokens remain.
 *
 * @example
 * exhaustedForMs(rateLimitHint({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '20s' })); // 20000
 */
export function exhaustedForMs(hint: RateLimitHint): number | undefined {
  let ms: number | undefined;
  if (hint.remaining !== undefined && hint.remaining <= 0) ms = hint.resetMs ?? UNKNOWN_RESET_MS;
  if (hint.tokensRemaining !== undefined && hint.tokensRemaining <= 0) ms = Math.max(ms ?? 0, hint.tokensResetMs ?? UNKNOWN_RESET_MS);
  return ms;
}

/** One rate-limit window as a provider reports it: its "remaining" header, and how its reset is written. */
interface WindowHeaders {
  remaining: string;
  /** a Go duration (`1s`, `6m0s`, `12ms`), an RFC 3339 time, or none: a window of one minute */
  reset?: { header: string; format: 'duration' | 'time' };
}

const duration = (header: string) => ({ header, format: 'duration' as const });
const time = (header: string) => ({ header, format: 'time' as const });

/** OpenAI, Anthropic, Mistral: the first one a response carries counts. */
const REQUEST_WINDOWS: WindowHeaders[] = [
  { remaining: 'x-ratelimit-remaining-requests', reset: duration('x-ratelimit-reset-requests') },
  { remaining: 'anthropic-ratelimit-requests-remaining', reset: time('anthropic-ratelimit-requests-reset') },
  { remaining: 'x-ratelimit-remaining-req-minute' },
];

/** OpenAI, Anthropic (all tokens, input, output), Mistral: the one with the fewest tokens left counts. */
const TOKEN_WINDOWS: WindowHeaders[] = [
  { remaining: 'x-ratelimit-remaining-tokens', reset: duration('x-ratelimit-reset-tokens') },
  { remaining: 'anthropic-ratelimit-tokens-remaining', reset: time('anthropic-ratelimit-tokens-reset') },
  { remaining: 'anthropic-ratelimit-input-tokens-remaining', reset: time('anthropic-ratelimit-input-tokens-reset') },
  { remaining: 'anthropic-ratelimit-output-tokens-remaining', reset: time('anthropic-ratelimit-output-tokens-reset') },
  { remaining: 'x-ratelimit-remaining-tokens-minute' },
];

/**
 * Reads the rate-limit headers of OpenAI-style servers (`x-ratelimit-remaining-requests|tokens`,
 * `x-ratelimit-reset-requests|tokens` as a Go duration such as `1s`, `6m0s`, `12ms`), Anthropic
 * (`anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-remaining|reset`, the reset as
 * an RFC 3339 time) and Mistral (`x-ratelimit-remaining-req-minute|tokens-minute`, one-minute windows).
 *
 * @example
 * rateLimitHint({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1.5s' }); // { remaining: 0, resetMs: 1500 }
 * rateLimitHint({ 'x-ratelimit-remaining-tokens': '0', 'x-ratelimit-reset-tokens': '6m0s' }); // { tokensRemaining: 0, tokensResetMs: 360000 }
 */
export function rateLimitHint(headers: Record<string, string>, now = Date.now()): RateLimitHint {
  const hint: RateLimitHint = {};
  const requests = REQUEST_WINDOWS.map((w) => readWindow(headers, w, now)).find((r) => r !== undefined);
  if (requests?.remaining !== undefined) hint.remaining = requests.remaining;
  if (requests?.resetMs !== undefined) hint.resetMs = requests.resetMs;
  let tokens: WindowReading | undefined;
  for (const window of TOKEN_WINDOWS) {
    const reading = readWindow(headers, window, now);
    if (reading?.remaining !== undefined && (tokens?.remaining === undefined || reading.remaining < tokens.remaining)) tokens = reading;
  }
  if (tokens?.remaining !== undefined) hint.tokensRemaining = tokens.remaining;
  if (tokens?.resetMs !== undefined) hint.tokensResetMs = tokens.resetMs;
  return hint;
}

interface WindowReading {
  remaining?: number;
  resetMs?: number;
}

/** What the response says of one window; `undefined` when it names neither of its headers. */
function readWindow(headers: Record<string, string>, window: WindowHeaders, now: number): WindowReading | undefined {
  const remainingText = headers[window.remaining];
  const resetText = window.reset ? headers[window.reset.header] : undefined;
  if (remainingText === undefined && resetText === undefined) return undefined;
  const reading: WindowReading = {};
  if (remainingText !== undefined && remainingText.trim() !== '' && Number.isFinite(Number(remainingText))) reading.remaining = Number(remainingText);
  if (!window.reset) {
    if (remainingText !== undefined) reading.resetMs = 60_000;
  } else if (resetText !== undefined) {
    const ms = window.reset.format === 'duration' ? goDurationMs(resetText) : timeUntil(resetText, now);
    if (ms !== undefined) reading.resetMs = ms;
  }
  return reading;
}

function timeUntil(text: string, now: number): number | undefined {
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
