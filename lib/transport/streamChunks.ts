import { Observable } from 'rxjs';
import { AbortError } from '../errors/abortError';
import { isParseError } from '../errors/parseError';
import { isRxllmError } from '../errors/rxllmError';
import { StreamInterruptedError } from '../errors/streamInterruptedError';
import { StreamTimeoutError, type StreamTimeoutKind } from '../errors/streamTimeoutError';
import type { Provider, StreamDecoder } from '../provider';
import { providerErrorInText } from '../providerErrorInText';
import { redactText } from '../redact';
import type { Chunk } from '../types/chunk';
import type { TimeoutLimits } from '../types/timeoutConfig';
import { discardBody, readBody } from './bodyReader';
import type { HttpRequest, ResponseInfo } from './httpRequest';
import { createNdjsonFraming } from './ndjsonFraming';
import { openResponse, type OpenedResponse } from './openResponse';
import { MAX_ERROR_BODY, readBodyText } from './readBodyText';
import { createSseFraming, NON_SSE_TEXT, type Framing, type WireEvent } from './sseFraming';
import { streamContentTypeMismatch } from './streamContentType';
import { startStreamTimers } from './streamTimers';
import { toHttpError } from './toHttpError';
import type { TransportOptions } from './transportOptions';
import { withCredentials } from './withCredentials';

/** The most of a 2xx body that is not a stream that is read for its error: a JSON answer or a page's start. */
const MAX_NOT_A_STREAM_BODY = 64 * 1024;

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
  /** how the request is sent, when not by the default client (`fetch`, agents, proxy) */
  transport?: TransportOptions;
}

/**
 * The one streaming pipeline: request → bytes → UTF-8 text → SSE events or NDJSON lines →
 * the provider's decoder → chunks. Cold: each subscription sends one request; unsubscribing aborts
 * it, destroys the socket and clears every timer. All per-event work happens in plain callbacks
 * inside this one Observable; no operator runs per wire event.
 *
 * Reading order: the state of one subscription, the pipeline built from the decoder back to the
 * wire, the request sent; then the steps as named functions, in the order a stream meets them —
 * the response headers, the body's bytes, an event framed, a chunk emitted, the body's end or
 * break, a timeout or an abort — and last how the stream settles.
 */
export function streamChunks$(provider: Provider<any>, request: HttpRequest, settings: StreamChunksSettings): Observable<Chunk> {
  return new Observable<Chunk>((subscriber) => {
    const { signal } = settings;
    /** the values no error may show: the settings', and those of credentials made for this request */
    let secrets = settings.secrets;
    const controller = new AbortController();
    /** settled (completed or failed) or unsubscribed: nothing more is emitted */
    let finished = false;
    /** the response headers arrived: from then on ending the body releases the request */
    let responded = false;
    let cancelBody: (() => void) | undefined;
    let seq = 0;
    /** body bytes received in all */
    let received = 0;
    /** body bytes not yet counted on an emitted chunk */
    let pendingBytes = 0;

    const decoder = provider.createDecoder({ provider: provider.id, emit, request });
    const framing = createFraming(provider, onEvent, settings.maxEventBytes);
    const utf8 = new TextDecoder('utf-8');
    const timers = startStreamTimers(settings.timeout, onTimeout);

    if (signal?.aborted) {
      onAbort();
      return release;
    }
    signal?.addEventListener('abort', onAbort);
    if (request.credentials) sendWithCredentials();
    else openResponse(request, controller.signal, secrets, settings.transport).then(onHeaders, fail);

    return () => {
      if (!finished) release();
    };

    /** a request whose credentials are made as it goes out (an expiring token): made, their values kept secret, then sent */
    function sendWithCredentials(): void {
      withCredentials(request).then(
        (sent) => {
          if (finished) return;
          secrets = [...secrets, ...sent.secrets];
          openResponse(sent.request, controller.signal, secrets, settings.transport).then(onHeaders, fail);
        },
        (error: unknown) => fail(credentialsError(provider.id, error, secrets)),
      );
    }

    function onHeaders(response: OpenedResponse): void {
      responded = true;
      if (finished) {
        discardBody(response.body);
        return;
      }
      settings.onResponse?.({ status: response.status, headers: response.headers });
      const ok = response.status >= 200 && response.status < 300;
      const expected = ok ? streamContentTypeMismatch(provider.framing, response.headers['content-type']) : undefined;
      if (ok && expected === undefined) {
        cancelBody = readBody(response.body, { data: onBytes, end: onBodyEnd, error: onBodyBreak });
        return;
      }
      // an error answer, or a 2xx that is not a stream (a proxy's login page, JSON without `stream: true`):
      // its text (the start of it, for the latter) becomes the HttpError, before any of it is parsed as the stream
      const limit = ok ? MAX_NOT_A_STREAM_BODY : MAX_ERROR_BODY;
      cancelBody = readBodyText(
        response.body,
        limit,
        (text, error) => {
          cancelBody = undefined;
          fail(toHttpError({ provider: provider.id, status: response.status, headers: response.headers, text, url: request.url, secrets, cut: error !== undefined, expected }));
        },
        ok ? 'stop' : 'drain',
      );
    }

    function onBytes(bytes: Uint8Array): void {
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
    }

    function onEvent(event: WireEvent): void {
      if (finished || decoder.done) return;
      if (event.event === NON_SSE_TEXT) {
        // text outside the SSE framing: an error there ends the stream, anything else is ignored
        const error = providerErrorInText(provider.id, event.data);
        if (error) throw error;
        return;
      }
      decoder.onEvent(event);
    }

    function emit(chunk: Chunk): void {
      if (finished) return;
      chunk.seq = seq++;
      chunk.bytes = pendingBytes;
      pendingBytes = 0;
      if (seq === 1) timers.firstChunk();
      subscriber.next(chunk);
    }

    function onBodyEnd(): void {
      cancelBody = undefined;
      if (finished) return;
      try {
        framing.feed(utf8.decode());
        endFraming(framing, provider.id);
        if (!decoder.done) decoder.onEnd();
      } catch (error) {
        fail(error);
        return;
      }
      complete();
    }

    function onBodyBreak(error: unknown): void {
      cancelBody = undefined;
      if (finished) return;
      // a connection that breaks after the answer's finish reason (Gemini and Perplexity send
      // nothing after it) loses nothing: the stream is complete, as at a normal end
      if (answerIsComplete(decoder)) complete();
      else fail(error);
    }

    function onTimeout(kind: StreamTimeoutKind, ms: number): void {
      // a limit that runs out after the answer's finish reason (a server slow to send its usage or
      // terminator) loses nothing: the stream is complete
      if (received > 0 && answerIsComplete(decoder)) complete();
      else fail(new StreamTimeoutError({ provider: provider.id, kind, timeoutMs: ms }));
    }

    function onAbort(): void {
      // an abort is the caller's decision, not a failure: its own error, never retried
      fail(new AbortError({ provider: provider.id, reason: signal?.reason }));
    }

    function complete(): void {
      if (finished) return;
      release();
      subscriber.complete();
    }

    function fail(error: unknown): void {
      if (finished) return;
      release();
      subscriber.error(isRxllmError(error) ? error : connectionError(provider.id, error, received, secrets));
    }

    function release(): void {
      finished = true;
      timers.clear();
      signal?.removeEventListener('abort', onAbort);
      if (cancelBody) {
        const cancel = cancelBody;
        cancelBody = undefined;
        cancel();
      }
      // before the response, the request itself is aborted; after it, ending the body is enough
      // (an abort then would only build and throw away the adapter's cancellation errors)
      if (!responded) controller.abort();
    }
  });
}

function createFraming(provider: Provider<any>, onEvent: (event: WireEvent) => void, maxEventBytes: number): Framing {
  return provider.framing === 'ndjson' ? createNdjsonFraming(onEvent, maxEventBytes, provider.id) : createSseFraming(onEvent, maxEventBytes, provider.id);
}

/** Ends the framing at the end of the body: an event completed only by that end that does not parse was cut short. */
function endFraming(framing: Framing, provider: string): void {
  try {
    framing.end();
  } catch (error) {
    if (isParseError(error) && error.kind === 'json') {
      throw new StreamInterruptedError(`${provider}: the body ended inside an event`, { provider, retryable: true, cause: error });
    }
    throw error;
  }
}

/** Whether the answer is whole though the body did not end (`onEnd` throws for one cut short). */
function answerIsComplete(decoder: StreamDecoder): boolean {
  try {
    if (!decoder.done) decoder.onEnd();
    return true;
  } catch {
    return false;
  }
}

/** A request's `credentials` failed (the token provider threw): the stream fails before anything is sent; retryable, as a token service's hiccup is. */
function credentialsError(provider: string, error: unknown, secrets: readonly string[]): StreamInterruptedError {
  const detail = redactText(String((error as Error)?.message ?? error), secrets);
  return new StreamInterruptedError(`${provider}: the request's credentials could not be made: ${detail}`, { provider, retryable: true, cause: new Error(detail) });
}

/** The adapter's error as rxllm's: its code and message (secrets removed), never the error itself, which carries the request and so the API key. */
function connectionError(provider: string, error: unknown, received: number, secrets: readonly string[]): StreamInterruptedError {
  const code = (error as { code?: string })?.code;
  const detail = redactText(String((error as Error)?.message ?? error), secrets);
  const where = received === 0 ? 'before the response body' : `after ${received} bytes`;
  return new StreamInterruptedError(`${provider}: connection failed ${where}${code ? ` (${code})` : ''}: ${detail}`, {
    provider,
    retryable: true,
    cause: Object.assign(new Error(detail), code ? { code } : {}),
  });
}
