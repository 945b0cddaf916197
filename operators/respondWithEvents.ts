import { Observable, tap, type OperatorFunction } from 'rxjs';
import { isConfigError } from '../lib/errors/configError';
import { publicErrorFields } from '../lib/errors/publicErrorFields';
import { isStreamNotFoundError } from '../lib/errors/streamNotFoundError';
import type { Chunk } from '../lib/types/chunk';
import { formatServerSentEvent } from './formatServerSentEvent';
import { toServerSentEvents, type ServerSentEvent } from './toServerSentEvents';

/**
 * The writable side of a Node or Express response: what `pipeToResponse` uses of it (described
 * here rather than taken from `node:http`, so that the package's types need no Node types).
 */
export interface SseResponse {
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(text: string): unknown;
  end(text?: string): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * The HTTP status of a stream that failed before its first chunk: 400 for a request refused before
 * anything was sent (`ConfigError`), 404 for a stored stream that is not there, the provider's own
 * for an `HttpError`, else 502 (a bad gateway: the upstream failed).
 */
function earlyStatus(error: unknown): number {
  if (isConfigError(error)) return 400;
  if (isStreamNotFoundError(error)) return 404;
  const { status } = publicErrorFields(error);
  return status !== undefined && status >= 400 && status < 600 ? status : 502;
}

/**
 * Writes chunks to a Node or Express response as server-sent events (`toServerSentEvents`), with
 * the headers and the `lead` events (a relay's start event) going out with the first chunk or the
 * end: a stream that fails before its first chunk is answered with its HTTP status (`earlyStatus`)
 * and a JSON body `{ error: { name, message, retryable, status?, issues? } }` (a `ConfigError`'s
 * issues: the request's own paths), not with a 200; after it, with an `error` event. `failed` hears
 * every failure. When the client goes away, the chunks' subscription ends (and with it the request to
 * the provider); when they end, the response ends. The Observable emits nothing and completes when
 * the response is over. Shared by `pipeToResponse` and the relay (`createChatRelay`).
 */
export function respondWithEvents(res: SseResponse, failed: (error: unknown) => void, lead: readonly ServerSentEvent[] = []): OperatorFunction<Chunk, never> {
  return (source) =>
    new Observable<never>((subscriber) => {
      let failure: unknown;
      let streaming = res.headersSent;
      const onClose = () => {
        subscription.unsubscribe();
        subscriber.complete();
      };
      const subscription = source.pipe(tap({ error: (error: unknown) => ((failure = error), failed(error)) }), toServerSentEvents()).subscribe({
        next: (event) => {
          if (res.writableEnded) return;
          if (!streaming && event.type === 'error') {
            const body = isConfigError(failure) ? { ...publicErrorFields(failure), issues: failure.issues } : event.data;
            res.writeHead(earlyStatus(failure), { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify({ error: body }));
            return;
          }
          if (!streaming) {
            streaming = true;
            res.writeHead(200, SSE_HEADERS);
            for (const event of lead) res.write(formatServerSentEvent(event));
          }
          res.write(formatServerSentEvent(event));
        },
        complete: () => {
          res.off('close', onClose);
          if (!res.writableEnded) res.end();
          subscriber.complete();
        },
      });
      if (!subscription.closed) res.on('close', onClose);
      return () => {
        res.off('close', onClose);
        subscription.unsubscribe();
      };
    });
}
