import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ParseError } from '../errors/parseError';
import { eventTooLarge } from './eventTooLarge';

export interface Framing {
  /** feed decoded text; events are delivered synchronously, in order */
  feed(text: string): void;
  /** the body ended: what is still pending is delivered */
  end(): void;
}

export interface WireEvent {
  data: string;
  /** the SSE `event:` name, when the server sent one; `NON_SSE_TEXT` for lines that are not SSE */
  event?: string;
}

/**
 * The event name under which lines that are not SSE at all reach a decoder, joined by `\n`: a
 * server may append a bare JSON error to an SSE body (Gemini does, after its last event). Each
 * decoder decides what such text means; most look for an error in it and ignore the rest.
 */
export const NON_SSE_TEXT = 'rxllm:non-sse-text';

/**
 * Server-sent events through eventsource-parser 3: CR, LF and CRLF line ends, comments and
 * keep-alives ignored, multi-line `data:` joined. An event larger than `maxEventBytes` fails with a
 * `ParseError` instead of growing memory. At the end of the body a last event that lacks its blank
 * line is still delivered (recorded Gemini bodies end so); lines that are not SSE are gathered and
 * delivered as one `NON_SSE_TEXT` event before the next event or at the end.
 */
export function createSseFraming(onEvent: (event: WireEvent) => void, maxEventBytes: number, provider?: string): Framing {
  let failure: ParseError | undefined;
  let text: string[] | undefined;
  let textSize = 0;
  const flushText = () => {
    if (!text) return;
    const data = text.join('\n');
    text = undefined;
    textSize = 0;
    onEvent({ data, event: NON_SSE_TEXT });
  };
  const tooLarge = (raw: string) => eventTooLarge(provider, 'An SSE event', maxEventBytes, raw);
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => {
      if (text) flushText();
      onEvent(message);
    },
    onError: (error) => {
      if (failure) return;
      if (error.type === 'max-buffer-size-exceeded') failure = tooLarge(error.line ?? '');
      else if (error.type === 'unknown-field' && error.line !== undefined) {
        (text ??= []).push(error.line);
        textSize += error.line.length;
        if (textSize > maxEventBytes) failure = tooLarge(error.line);
      }
      // an invalid `retry:` value is ignored, as an EventSource does
    },
    maxBufferSize: maxEventBytes,
  });
  return {
    feed(chunk) {
      if (failure) throw failure;
      parser.feed(chunk);
      if (failure) throw failure;
    },
    end() {
      if (failure) throw failure;
      // two line breaks end a last line and its event (one may only complete a CRLF)
      parser.feed('\n\n');
      if (failure) throw failure;
      flushText();
    },
  };
}
