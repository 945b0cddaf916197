import { Observable } from 'rxjs';
import { AbortError } from '../errors/abortError';
import { isParseError } from '../errors/parseError';
import { isRxllmError } from '../errors/rxllmError';
import { StreamInterruptedError } from '../errors/streamInterruptedError';
import { StreamTimeoutError } from '../errors/streamTimeoutError';
import type { Provider } from '../provider';
import { providerErrorInText } from '../providerErrorInText';
import { redactText } from '../redact';
import type { Chunk } from '../types/chunk';
import type { TimeoutLimits } from '../types/timeoutConfig';
import { readBody } from './bodyReader';
import type { HttpRequest, ResponseInfo } from './httpRequest';
import { createNdjsonFraming } from './ndjsonFraming';
import { openResponse } from './openResponse';
import { createSseFraming, NON_SSE_TEXT, type WireEvent } from './sseFraming';
import { startStreamTimers } from './streamTimers';
import { toHttpError } from './toHttpError';

export interface StreamChunksSettings {
  /** the limits that apply (defaults already filled in by `toTimeoutLimits`); an absent one does not */
  timeout: TimeoutLimits;
  /** the caller's signal: when it aborts (before or during the request) the stream fails with `AbortError` */
  signal?: AbortSignal;
  maxEventBytes: number;
  /** values that must never appear in an error (API keys, auth header values) */
  secrets: readonly string[];
  /** told when the response headers arrive */
  onResponse?: (info: ResponseInfo) => void;
}

/** The most of a non-2xx body that is read for the error. */
const MAX_ERROR_BODY = 1 << 20;

/**
 * The one streaming pipeline: request → bytes → UTF-8 text → SSE events or NDJSON lines →
 * the provider's decoder → chunks. Cold: each subscription sends one request; unsubscribing aborts
 * it, destroys the socket and clears every timer. All per-event work happens in plain callbacks
 * inside this one Observable; no operator runs per wire event.
 */
export function streamChunks$(provider: Provider<any>, request: HttpRequest, settings: StreamChunksSettings): Observable<Chunk> {
  return new Observable<Chunk>((subscriber) => {
    const controller = new AbortController();
    const { secrets } = settings;
    let finished = false;
    let seq = 0;
    let pendingBytes = 0;
    let received = 0;
    let cancelBody: (() => void) | undefined;

    let responded = false;
    const release = () => {
      finished = true;
      timers.clear();
      settings.signal?.removeEventListener('abort', onAbort);
      if (cancelBody) {
        const cancel = cancelBody;
        cancelBody = undefined;
        cancel();
      }
      // before the response, the request itself is aborted; after it, ending the body is enough
      // (an abort then would only build and throw away the adapter's cancellation errors)
      if (!responded) controller.abort();
    };
    const fail = (error: unknown) => {
      if (finished) return;
      release();
      subscriber.error(toTypedError(error));
    };
    const complete = () => {
      if (finished) return;
      release();
      subscriber.complete();
    };
    const toTypedError = (error: unknown): unknown => {
      if (isRxllmError(error)) return error;
      const code = (error as { code?: string })?.code;
      const detail = redactText(String((error as Error)?.message ?? error), secrets);
      const where = received === 0 ? 'before the response body' : `after ${received} bytes`;
      // the adapter's error is never passed on: it carries the request, and so the API key
      return new StreamInterruptedError(`${provider.id}: connection failed ${where}${code ? ` (${code})` : ''}: ${detail}`, {
        provider: provider.id,
        retryable: true,
        cause: Object.assign(new Error(detail), code ? { code } : {}),
      });
    };

    const timers = startStreamTimers(settings.timeout, (kind, ms) => {
      // a limit that runs out after the answer's finish reason (a server slow to send its usage or
      // terminator) loses nothing: the stream is complete
      if (received > 0) {
        try {
          decoder.onEnd();
          complete();
          return;
        } catch {
          // not complete: the timeout stands
        }
      }
      fail(new StreamTimeoutError({ provider: provider.id, kind, timeoutMs: ms }));
    });

    const decoder = provider.createDecoder({
      provider: provider.id,
      emit(chunk) {
        if (finished) return;
        chunk.seq = seq++;
        chunk.bytes = pendingBytes;
        pendingBytes = 0;
        if (seq === 1) timers.firstChunk();
        subscriber.next(chunk);
      },
    });
    const onEvent = (event: WireEvent) => {
      if (finished || decoder.done) return;
      if (event.event === NON_SSE_TEXT) {
        // text outside the SSE framing: an error there ends the stream, anything else is ignored
        const error = providerErrorInText(provider.id, event.data);
        if (error) throw error;
        return;
      }
      decoder.onEvent(event);
    };
    const framing =
      provider.framing === 'ndjson'
        ? createNdjsonFraming(onEvent, settings.maxEventBytes, provider.id)
        : createSseFraming(onEvent, settings.maxEventBytes, provider.id);
    const utf8 = new TextDecoder('utf-8');

    // an abort is the caller's decision, not a failure: its own error, never retried
    const onAbort = () => fail(new AbortError({ provider: provider.id, reason: settings.signal?.reason }));
    if (settings.signal?.aborted) {
      onAbort();
      return release;
    }
    settings.signal?.addEventListener('abort', onAbort);

    openResponse(request, controller.signal).then(
      (response) => {
        responded = true;
        if (finished) {
          readBody(response.body, { data() {}, end() {}, error() {} })();
          return;
        }
        settings.onResponse?.({ status: response.status, headers: response.headers });
        if (response.status < 200 || response.status >= 300) {
          readErrorBody(response.body, (text, cut) =>
            fail(toHttpError({ provider: provider.id, status: response.status, headers: response.headers, text, url: request.url, secrets, cut })),
          );
          return;
        }
        cancelBody = readBody(response.body, {
          data(bytes) {
            if (finished) return;
            received += bytes.byteLength;
            pendingBytes += bytes.byteLength;
            timers.activity();
            try {
              framing.feed(utf8.decode(bytes, { stream: true }));
            } catch (error) {
              fail(error);
              return;
            }
            if (decoder.done) complete();
          },
          end() {
            cancelBody = undefined;
            if (finished) return;
            try {
              framing.feed(utf8.decode());
              try {
                framing.end();
              } catch (error) {
                // an event completed only by the end of the body that does not parse was cut short
                if (isParseError(error) && error.kind === 'json') {
                  throw new StreamInterruptedError(`${provider.id}: the body ended inside an event`, { provider: provider.id, retryable: true, cause: error });
                }
                throw error;
              }
              if (!decoder.done) decoder.onEnd();
            } catch (error) {
              fail(error);
              return;
            }
            complete();
          },
          error(error) {
            cancelBody = undefined;
            if (finished) return;
            // a connection that breaks after the answer's finish reason (Gemini and Perplexity send
            // nothing after it) loses nothing: the stream is complete, as at a normal end
            try {
              if (!decoder.done) decoder.onEnd();
            } catch {
              fail(error);
              return;
            }
            complete();
          },
        });

        function readErrorBody(body: typeof response.body, done: (text: string, cut: boolean) => void) {
          const parts: string[] = [];
          let size = 0;
          const text = new TextDecoder('utf-8');
          cancelBody = readBody(body, {
            data(bytes) {
              if (size > MAX_ERROR_BODY) return;
              size += bytes.byteLength;
              parts.push(text.decode(bytes, { stream: true }));
            },
            end() {
              cancelBody = undefined;
              parts.push(text.decode());
              done(parts.join(''), false);
            },
            error() {
              cancelBody = undefined;
              done(parts.join(''), true);
            },
          });
        }
      },
      (error: unknown) => fail(error),
    );

    return () => {
      if (!finished) release();
    };
  });
}
