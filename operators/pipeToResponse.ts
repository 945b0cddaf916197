import * as t from 'io-ts';
import { Observable, tap, type OperatorFunction } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn } from '../lib/codec/readable';
import { publicErrorFields } from '../lib/errors/publicErrorFields';
import type { Chunk } from '../lib/types/chunk';
import { formatServerSentEvent } from './formatServerSentEvent';
import { toServerSentEvents } from './toServerSentEvents';

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

export const PipeToResponseConfig = t.partial(
  {
    /** the server's own log of a failed stream (default: one line on `console.error`: the error's name and message, which hold no secret) */
    onError: fn<(error: unknown) => void>('a function (error) => void'),
  },
  'PipeToResponseConfig',
);
export type PipeToResponseConfig = t.TypeOf<typeof PipeToResponseConfig>;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

const logToConsole = (error: unknown) => {
  const { name, message } = publicErrorFields(error);
  console.error(`rxllm pipeToResponse: the stream failed: ${name}: ${message}`);
};

/**
 * Streams chunks to a plain Node / Express response as server-sent events (see
 * `toServerSentEvents`) once subscribed. The headers go out with the first event, so that a stream
 * that fails before its first chunk is answered with the failure's HTTP status (the provider's own
 * for an `HttpError`, else 502) and a JSON body `{ error: { name, message, retryable, status? } }`,
 * not with a 200; a failure after it is an `error` event, as before. Either way the server hears of it
 * (`onError`, by default a line on `console.error`). When the client goes away, the upstream
 * subscription ends and with it the request to the provider (its socket closes); when the stream
 * ends, the response ends. The returned Observable emits nothing and completes when the response is over.
 *
 * ```
 * chunks:   --a--b--|
 * pipeToResponse(res)       (res: 200, id 0 / id 1 / event done, then end)
 * result:   --------|
 * ```
 *
 * @example
 * app.get('/chat', (req, res) => {
 *   streamChat$('anthropic', [{ role: 'user', content: String(req.query.q) }]).pipe(pipeToResponse(res, { onError: (e) => log.warn(e) })).subscribe();
 * });
 *
 * @param res the response to write to
 */
export function pipeToResponse(res: SseResponse, config: PipeToResponseConfig = {}): OperatorFunction<Chunk, never> {
  const { onError = logToConsole } = checkConfig(PipeToResponseConfig, config, 'pipeToResponse config');
  return (source) =>
    new Observable<never>((subscriber) => {
      let failure: unknown;
      let streaming = res.headersSent;
      const onClose = () => {
        subscription.unsubscribe();
        subscriber.complete();
      };
      const subscription = source
        .pipe(
          tap({ error: (error: unknown) => ((failure = error), onError(error)) }),
          toServerSentEvents(),
        )
        .subscribe({
          next: (event) => {
            if (res.writableEnded) return;
            if (!streaming && event.type === 'error') {
              const { status } = publicErrorFields(failure);
              res.writeHead(status !== undefined && status >= 400 && status < 600 ? status : 502, { 'content-type': 'application/json; charset=utf-8' });
              res.end(JSON.stringify({ error: event.data }));
              return;
            }
            if (!streaming) {
              streaming = true;
              res.writeHead(200, SSE_HEADERS);
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
