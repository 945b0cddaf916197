import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ParseError } from '../errors/parseError';

export interface Framing {
  /** feed decoded text; events are delivered synchronously, in order */
  feed(text: string): void;
  /** the body ended; an unterminated trailing event is dropped, as the SSE spec says */
  end(): void;
}

export interface WireEvent {
  data: string;
  /** the SSE `event:` name, when the server sent one */
  event?: string;
}

/**
 * Server-sent events through eventsource-parser 3: CR, LF and CRLF line ends, comments and
 * keep-alives ignored, multi-line `data:` joined. An event larger than `maxEventBytes` fails with a
 * `ParseError` instead of growing memory.
 */
export function createSseFraming(onEvent: (event: WireEvent) => void, maxEventBytes: number, provider?: string): Framing {
  let failure: ParseError | undefined;
  const parser = createParser({
    onEvent: (message: EventSourceMessage) => onEvent(message),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded' && !failure) {
        failure = new ParseError({
          provider,
          kind: 'event-too-large',
          message: `An SSE event exceeded the limit of ${maxEventBytes} bytes (maxEventBytes)`,
          raw: (error.line ?? '').slice(0, 200),
        });
      }
      // unknown fields and invalid retry values are ignored, as an EventSource does
    },
    maxBufferSize: maxEventBytes,
  });
  return {
    feed(text) {
      if (failure) throw failure;
      parser.feed(text);
      if (failure) throw failure;
    },
    end() {
      parser.reset();
    },
  };
}
