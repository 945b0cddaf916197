import type { MonoTypeOperatorFunction } from 'rxjs';
import { onLeaveAfterCheckpoint } from '../../lib/onLeaveAfterCheckpoint';
import type { FeatureContext } from '../../lib/provider';
import { requestJson$ } from '../../lib/transport/requestJson';
import { transportOptionsOf } from '../../lib/transport/transportOptions';
import type { Chunk } from '../../lib/types/chunk';
import { fromResponsesToken, responseRequest } from './continueResponsesFrom';

/**
 * Cancels a background response when its subscriber leaves before the end: a background response
 * goes on running (and billing) on the server when no one reads it, so an unsubscribe sends `POST
 * {base}/responses/{id}/cancel`, once, with the chat request's headers. The response is known from
 * the checkpoints its chunks carry (`onLeaveAfterCheckpoint`); a subscriber that leaves before the
 * first chunk cannot cancel what it never heard of. A stream that completes or fails sends nothing
 * (a failed one may still be resumed by the caller). The cancel's own answer or failure reaches no
 * one: the subscriber is gone.
 */
export function cancelOnUnsubscribe(context: FeatureContext): MonoTypeOperatorFunction<Chunk> {
  const { request, secrets } = context;
  // the cancel goes out as the chat request did: its fetch, agents or proxy, when it had them
  const transport = transportOptionsOf(context.options);
  return onLeaveAfterCheckpoint((token) => {
    const responseId = fromResponsesToken(token)?.responseId;
    if (responseId === undefined) return;
    const cancel = responseRequest(request, responseId, '/cancel', 'POST');
    cancel.headers.accept = 'application/json';
    requestJson$(cancel, secrets, 'openai-responses', transport).subscribe({ error: () => undefined });
  });
}
