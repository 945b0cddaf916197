/**
 * A readable one-line message from an error body of any provider:
 * OpenAI / Perplexity `{ error: { message } }`, Anthropic `{ type: 'error', error: { type, message } }`,
 * Gemini `{ error: { code, status, message } }`, Mistral `{ message }` or `{ detail }`,
 * LM Studio and Ollama `{ error: "…" }`, or plain text (an HTML page of a proxy, cut short).
 */
export function describeErrorBody(body: unknown): string {
  if (typeof body === 'string') {
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return text ? cut(text) : '(empty body)';
  }
  if (body === null || typeof body !== 'object') return String(body);
  const b = body as Record<string, unknown>;
  const error = b.error;
  if (typeof error === 'string') return cut(error);
  if (error && typeof error === 'object') {
    const e = error as Record<string, unknown>;
    const kind = typeof e.type === 'string' ? e.type : typeof e.status === 'string' ? e.status : undefined;
    const message = typeof e.message === 'string' ? e.message : JSON.stringify(e);
    return cut(kind && !message.startsWith(kind) ? `${kind}: ${message}` : message);
  }
  for (const key of ['message', 'detail']) {
    const v = b[key];
    if (typeof v === 'string') return cut(v);
    if (v !== undefined) return cut(JSON.stringify(v));
  }
  return cut(JSON.stringify(body));
}

const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 299)}…` : s);
