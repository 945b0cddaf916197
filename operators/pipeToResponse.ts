import type { ServerResponse } from 'node:http';
import type { Observable, Subscription, UnaryFunction } from 'rxjs';
import type { Chunk } from '../lib/types/chunk';
import { formatServerSentEvent } from './formatServerSentEvent';
import { toServerSentEvents } from './toServerSentEvents';

/** The writable side of a Node or Express response: what `pipeToResponse` uses of it. */
export type SseResponse = Pick<ServerResponse, 'writeHead' | 'write' | 'end' | 'on' | 'off' | 'headersSent' | 'writableEnded'>;

/**
 * Streams chunks to a plain Node / Express response as server-sent events (see
 * `toServerSentEvents`), starting at once. When the client goes away, the subscription ends and
 * with it the upstream request (its socket closes); when the stream ends, the response ends.
 *
 * @example
 * app.get('/chat', (req, res) => {
 *   streamChat$('anthropic', [{ role: 'user', content: String(req.query.q) }]).pipe(pipeToResponse(res));
 * });
 *
 * @param res the response to write to; its headers are sent with the first event
 * @returns a function for `pipe` that subscribes and returns the Subscription
 */
export function pipeToResponse(res: SseResponse): UnaryFunction<Observable<Chunk>, Subscription> {
  return (source) => {
    if (!res.headersSent) {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
    }
    const onClose = () => subscription.unsubscribe();
    const subscription = source.pipe(toServerSentEvents()).subscribe({
      next: (event) => {
        if (!res.writableEnded) res.write(formatServerSentEvent(event));
      },
      complete: () => {
        res.off('close', onClose);
        if (!res.writableEnded) res.end();
      },
    });
    if (!subscription.closed) res.on('close', onClose);
    return subscription;
  };
}
