/** What a stream's framing reads, as `Provider.framing` names it. */
export type StreamFraming = 'sse' | 'ndjson';

/** The media types each framing reads: what the APIs (and the mock server) send for a stream. */
const STREAM_TYPES: Record<StreamFraming, readonly string[]> = {
  sse: ['text/event-stream'],
  // Ollama sends application/x-ndjson; a one-line answer (`stream: false`, a server that labels
  // its lines as JSON) reads the same through the NDJSON framing
  ndjson: ['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/json'],
};

/**
 * Types that say nothing about the body: a server (or a `fetch` test double: `new Response('…')` is
 * `text/plain`) that does not name its format. The framing decides, as it does without a type.
 */
const UNSPECIFIC_TYPES: readonly string[] = ['text/plain', 'application/octet-stream'];

const DESCRIPTION: Record<StreamFraming, string> = {
  sse: 'an event stream (text/event-stream)',
  ndjson: 'a stream of JSON lines (application/x-ndjson)',
};

/**
 * Whether a 2xx answer's `content-type` cannot be the stream `framing` reads — an HTML login page
 * of a proxy, the plain JSON of a proxy or gateway that dropped `stream: true`, an event stream where
 * JSON lines were asked for — and if so, what was expected instead (for the error's message);
 * `undefined` when it can be. A missing or unspecific type (`text/plain`,
 * `application/octet-stream`) is tolerated: the framing decides. Checked once, when the headers
 * arrive, never per chunk.
 *
 * @example
 * streamContentTypeMismatch('sse', 'text/html; charset=utf-8'); // 'an event stream (text/event-stream)'
 * streamContentTypeMismatch('sse', 'text/event-stream; charset=utf-8'); // undefined
 * streamContentTypeMismatch('ndjson', undefined); // undefined
 */
export function streamContentTypeMismatch(framing: StreamFraming, contentType: string | undefined): string | undefined {
  const media = contentType?.split(';')[0].trim().toLowerCase();
  if (!media || UNSPECIFIC_TYPES.includes(media) || STREAM_TYPES[framing].includes(media)) return undefined;
  return DESCRIPTION[framing];
}
