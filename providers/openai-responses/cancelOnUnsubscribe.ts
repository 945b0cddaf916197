import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { FeatureContext } from '../../lib/provider';
import { requestJson$ } from '../../lib/transport/requestJson';
import type { Chunk } from '../../lib/types/chunk';
import { fromResponsesToken, responseRequest } from './continueResponsesFrom';

/**
 * Cancels a background response when its subscriber leaves before the end: a background response
 * goes on running (and billing) on the server when no one reads it, so an unsubscribe sends `POST
 * {base}/responses/{id}/cancel`, once, with the chat request's headers. The response is known from
 * the checkpoints its chunks carry (`metadata.continuationToken`); a subscriber that leaves before
 * the first chunk cannot cancel what it never heard of. A stream that completes or fails sends
 * nothing (a failed one may still be resumed by the caller). The cancel's own answer or failure
 * reaches no one: the subscriber is gone.
 *
 * ```
 * chunks:      --a--b--c--|
 * subscriber:  --a--b--^        (unsubscribes)
 * side:                 POST /responses/{id}/cancel
 * ```
 */
export function cancelOnUnsubscribe(context: FeatureContext): MonoTypeOperatorFunction<Chunk> {
  const { request, secrets } = context;
  return (source) =>
    new Observable<Chunk>((subscriber) => {
      let responseId: string | undefined;
      let settled = false;
      const subscription = source.subscribe({
        next(chunk) {
          const token = chunk.metadata?.continuationToken;
          if (typeof token === 'string') responseId = fromResponsesToken(token)?.responseId ?? responseId;
          subscriber.next(chunk);
        },
        error(error) {
          settled = true;
          subscriber.error(error);
        },
        complete() {
          settled = true;
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        if (settled || responseId === undefined) return;
        const cancel = responseRequest(request, responseId, '/cancel', 'POST');
        cancel.headers.accept = 'application/json';
        requestJson$(cancel, secrets, 'openai-responses').subscribe({ error: () => undefined });
      };
    });
}
