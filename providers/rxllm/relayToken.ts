import type { HttpRequest } from '../../lib/transport/httpRequest';
import { LAST_EVENT_ID_HEADER, RELAY_STREAM_HEADER } from '../../lib/relayWire';

/** The checkpoint a relayed chunk carries in `metadata.continuationToken`: `<stream id>@<seq>`. */
export const toRelayToken = (streamId: string, seq: number): string => `${streamId}@${seq}`;

/**
 * The same relay request, reconnecting after the chunk a token names: `last-event-id: <seq>` and
 * `x-rxllm-stream: <id>`, so that the relay sends the kept chunks after it. A token rxllm did not
 * make sends the request as it was.
 */
export function continueRelayFrom(request: HttpRequest, token: string): HttpRequest {
  const at = token.lastIndexOf('@');
  const seq = Number(token.slice(at + 1));
  if (at <= 0 || !Number.isInteger(seq)) return request;
  return { ...request, headers: { ...request.headers, [LAST_EVENT_ID_HEADER]: String(seq), [RELAY_STREAM_HEADER]: token.slice(0, at) } };
}
