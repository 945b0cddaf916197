import { catchError, concat, defer, map, of, type OperatorFunction } from 'rxjs';
import { publicErrorFields } from '../lib/errors/publicErrorFields';
import type { Chunk } from '../lib/types/chunk';

/** A server-sent event in the shape NestJS's `@Sse()` takes (`MessageEvent`). */
export interface ServerSentEvent {
  /** a JSON-serializable value; NestJS and `pipeToResponse` serialize it */
  data: string | object;
  /** the chunk's `seq`: a reconnecting browser sends it back as `Last-Event-ID` */
  id?: string;
  /** the event name: absent for chunks, `'error'` and `'done'` at the end */
  type?: string;
  retry?: number;
}

/**
 * Turns chunks into server-sent events for re-streaming to a browser: one event per chunk (its
 * `seq` as the event id, the chunk as data), then a `done` event at completion — or an `error`
 * event with the error's public fields (`name`, `message`, `status`, `retryable`), after which the
 * stream completes, so the browser learns why instead of seeing a dropped connection.
 *
 * ```
 * chunks:  --a--b--|         --a--#
 * toServerSentEvents()
 * events:  --A--B--(D|)      --A--(E|)
 * ```
 *
 * @example
 * // NestJS
 * @Sse('chat') chat(@Query('q') q: string): Observable<MessageEvent> {
 *   return streamChat$('openai', [{ role: 'user', content: q }]).pipe(toServerSentEvents());
 * }
 * @see pipeToResponse
 */
export function toServerSentEvents(): OperatorFunction<Chunk, ServerSentEvent> {
  return (source) =>
    defer(() => {
      let finishReason: string | undefined;
      return concat(
        source.pipe(
          map((chunk): ServerSentEvent => {
            if (chunk.finishReason) finishReason = chunk.finishReason;
            return { id: String(chunk.seq), data: chunk };
          }),
        ),
        defer(() => of<ServerSentEvent>({ type: 'done', data: { finishReason: finishReason ?? null } })),
      ).pipe(catchError((error: unknown) => of<ServerSentEvent>({ type: 'error', data: publicErrorFields(error) })));
    });
}
