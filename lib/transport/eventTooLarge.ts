import { ParseError } from '../errors/parseError';

/**
 * The error of a framing whose event (an SSE event, an NDJSON line) outgrew `maxEventBytes`: it ends
 * the stream before the event is buffered further. `raw` keeps the first 200 characters of it.
 *
 * @example
 * throw eventTooLarge('ollama', 'An NDJSON line', 8 * 1024 * 1024, line);
 */
export function eventTooLarge(provider: string | undefined, what: string, maxEventBytes: number, raw: string): ParseError {
  return new ParseError({
    provider,
    kind: 'event-too-large',
    message: `${what} exceeded the limit of ${maxEventBytes} bytes (maxEventBytes)`,
    raw: raw.slice(0, 200),
  });
}
