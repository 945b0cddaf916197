import { Observable, type OperatorFunction } from 'rxjs';
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
  end(): unknown;
  on(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/**
 * Streams chunks to a plain Node / Express response as server-sent events (see
 * `toServerSentEvents`) once subscribed. When the client goes away, the upstream subscription ends
 * and with it the request to the provider (its socket closes); when the stream ends, the response
 * ends. The returned Observable emits nothing and completes when the response is over.
 *
 * ```
 * chunks:   --a--b--|
 * pipeToResponse(res)       (res: id 0 / id 1 / event done, then end)
 * result:   --------|
 * ```
 *
 * @example
 * app.get('/chat', (req, res) => {
 *   streamChat$('anthropic', [{ role: 'user', content: String(req.query.q) }]).pipe(pipeToResponse(res)).subscribe();
 * });
 *
 * @param res the response to write to; its headers are sent on subscription
 */
export function pipeToResponse(res: SseResponse): OperatorFunction<Chunk, never> {
  return (source) =>
    new Observable<never>((subscriber) => {
      if (!res.headersSent) {
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
      }
      const onClose = () => {
        subscription.unsubscribe();
        subscriber.complete();
      };
      const subscription = source.pipe(toServerSentEvents()).subscribe({
        next: (event) => {
          if (!res.writableEnded) res.write(formatServerSentEvent(event));
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
