import type { MonoTypeOperatorFunction } from 'rxjs';
import { onLeaveAfterCheckpoint } from '../../lib/onLeaveAfterCheckpoint';
import type { FeatureContext } from '../../lib/provider';
import { RELAY_STREAM_HEADER } from '../../lib/relayWire';
import { requestJson$ } from '../../lib/transport/requestJson';
import { transportOptionsOf } from '../../lib/transport/transportOptions';
import type { Chunk } from '../../lib/types/chunk';

/**
 * Cancels a kept stream on the relay when its subscriber leaves before the end: a relay that keeps
 * streams (so that a dropped connection resumes) lets the upstream run on when the connection
 * closes, so leaving sends `DELETE {relay URL}` with `x-rxllm-stream: <id>`, once, with the chat
 * request's headers. The id comes from the chunks' checkpoints (`onLeaveAfterCheckpoint`); a stream
 * the relay does not keep carries none, and its upstream already ended with the connection. The
 * cancel's answer or failure reaches no one.
 */
export function cancelRelayOnUnsubscribe(context: FeatureContext): MonoTypeOperatorFunction<Chunk> {
  const { request, secrets } = context;
  const transport = transportOptionsOf(context.options);
  return onLeaveAfterCheckpoint((token) => {
    const at = token.lastIndexOf('@');
    if (at <= 0) return;
    const headers: Record<string, string> = { ...request.headers, accept: 'application/json', [RELAY_STREAM_HEADER]: token.slice(0, at) };
    delete headers['content-type'];
    requestJson$({ url: request.url, method: 'DELETE', headers }, secrets, 'rxllm', transport).subscribe({ error: () => undefined });
  });
}
