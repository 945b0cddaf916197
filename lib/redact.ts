/**
 * Keeps secrets out of everything rxllm builds for people to read: error messages, error fields,
 * metrics and logs. A secret is an API key or the value of an authentication header.
 */

export const REDACTED = '[REDACTED]';

const SENSITIVE_HEADER = /^(authorization|proxy-authorization|x-api-key|api-key|x-goog-api-key|cookie|set-cookie)$/i;

export const isSensitiveHeader = (name: string): boolean => SENSITIVE_HEADER.test(name);

/** The secret values among request headers (and the bare token of a `Bearer …` value). */
export function secretsOf(headers: Record<string, string>): string[] {
  const out: string[] = [];
  for (const name of Object.keys(headers)) {
    if (!isSensitiveHeader(name)) continue;
    const value = headers[name];
    if (!value) continue;
    out.push(value);
    const bearer = /^\s*\w+\s+(.+)$/.exec(value);
    if (bearer) out.push(bearer[1]);
  }
  return out;
}

/**
 * The credentials of a URL (`https://user:password@host/`): the password as written and
 * percent-decoded, `user:password` and its base64 (what a `Basic` header carries). None for a URL
 * without a password, or for what is not a URL.
 *
 * @example
 * secretsOfURL('http://bob:p%40ss@proxy:3128'); // ['p%40ss', 'p@ss', 'bob:p@ss', 'Ym9iOnBAc3M=']
 */
export function secretsOfURL(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  if (!parsed.password) return [];
  const password = safeDecode(parsed.password);
  const pair = `${safeDecode(parsed.username)}:${password}`;
  const base64 = typeof btoa === 'function' ? btoa(String.fromCharCode(...new TextEncoder().encode(pair))) : undefined;
  return [...new Set([parsed.password, password, pair, ...(base64 ? [base64] : [])])];
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Replaces every occurrence of each secret (4 characters or more) in `text`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4 && out.includes(secret)) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** A copy of `headers` with the values of authentication headers replaced. */
export function redactHeaders(headers: Record<string, unknown>, secrets: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) {
    const value = headers[name];
    if (value === undefined || value === null) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    out[name] = isSensitiveHeader(name) ? REDACTED : redactText(text, secrets);
  }
  return out;
}

/** A deep copy of a JSON-like value with every secret replaced in its strings. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactText(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, secrets)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSensitiveHeader(k) ? REDACTED : redactDeep(v, secrets);
    return out as T;
  }
  return value;
}
