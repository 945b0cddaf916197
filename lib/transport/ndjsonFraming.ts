import { eventTooLarge } from './eventTooLarge';
import type { Framing, WireEvent } from './sseFraming';

/**
 * Newline-delimited JSON (Ollama): one event per line, LF or CRLF, blank lines skipped. A final
 * line without its newline is still delivered at the end. A line longer than `maxEventBytes`
 * fails with a `ParseError` instead of growing memory.
 */
export function createNdjsonFraming(onEvent: (event: WireEvent) => void, maxEventBytes: number, provider?: string): Framing {
  let rest = '';
  const deliver = (line: string) => {
    const end = line.endsWith('\r') ? line.length - 1 : line.length;
    if (end > 0) onEvent({ data: end === line.length ? line : line.slice(0, end) });
  };
  const tooLarge = (raw: string) => eventTooLarge(provider, 'An NDJSON line', maxEventBytes, raw);
  return {
    feed(text) {
      let start = 0;
      let nl = text.indexOf('\n');
      if (nl === -1) {
        rest += text;
        if (rest.length > maxEventBytes) throw tooLarge(rest);
        return;
      }
      if (rest) {
        const line = rest + text.slice(0, nl);
        rest = '';
        if (line.length > maxEventBytes) throw tooLarge(line);
        deliver(line);
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      while (nl !== -1) {
        if (nl - start > maxEventBytes) throw tooLarge(text.slice(start, nl));
        deliver(text.slice(start, nl));
        start = nl + 1;
        nl = text.indexOf('\n', start);
      }
      rest = text.slice(start);
      if (rest.length > maxEventBytes) throw tooLarge(rest);
    },
    end() {
      const line = rest;
      rest = '';
      if (line) deliver(line);
    },
  };
}
