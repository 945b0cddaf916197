import { defer, tap, type MonoTypeOperatorFunction } from 'rxjs';
import type { FeatureContext } from '../../lib/provider';
import { RELAY_STREAM_HEADER } from '../../lib/relayWire';
import { requestJson$ } from '../../lib/transport/requestJson';
import type { Chunk } from '../../lib/types/chunk';

/**
 * Cancels a kept stream on the relay when its subscriber leaves before the end: a relay that keeps
 * streams (so that a dropped connection resumes) lets the upstream run on when the connection
 * closes, so leaving sends `DELETE {relay URL}` with `x-rxllm-stream: <id>`, once, with the chat
 * request's headers. The id comes from the chunks' checkpoints; a stream the relay does not keep
 * carries none, and its upstream already ended with the connection. The cancel's answer or failure
 * reaches no one.
 */
export function cancelRelayOnUnsubscribe({ request, secrets }: FeatureContext): MonoTypeOperatorFunction<Chunk> {
  return (source) =>
    defer(() => {
      let token: string | undefined;
      return source.pipe(
        tap({
          next(chunk) {
            const checkpoint = chunk.metadata?.continuationToken;
            if (typeof checkpoint === 'string') token = checkpoint;
          },
          unsubscribe() {
            const at = token?.lastIndexOf('@') ?? -1;
            if (token === undefined || at <= 0) return;
            const headers: Record<string, string> = { ...request.headers, accept: 'application/json', [RELAY_STREAM_HEADER]: token.slice(0, at) };
            delete headers['content-type'];
            requestJson$({ url: request.url, method: 'DELETE', headers }, secrets, 'rxllm').subscribe({ error: () => undefined });
          },
        }),
      );
    });
}
