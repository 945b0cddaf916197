import type { Provider } from '../../lib/provider';
import { buildRelayRequest } from './buildRelayRequest';
import { cancelRelayOnUnsubscribe } from './cancelRelayOnUnsubscribe';
import { createRelayDecoder } from './createRelayDecoder';
import { continueRelayFrom } from './relayToken';

/**
 * rxllm's own relay (`createChatRelay` on a server), read back into the same `Observable<Chunk>`:
 * for a page whose server keeps the provider's key. `baseURL` is the relay's URL (a relative one on
 * a page); `apiKey`, when given, is the page's credential for its server. Every operator, the
 * metrics and `toResponse()` work as on the server; with `streamRecovery` a dropped connection
 * resumes after the last chunk when the relay keeps streams, and is continued otherwise; leaving a
 * kept stream early cancels it on the relay.
 *
 * @example
 * streamChat$('rxllm', [{ role: 'user', content: 'Hi' }], { baseURL: '/api/chat', streamRecovery: true });
 */
export const rxllmRelay: Provider = {
  id: 'rxllm',
  defaultBaseURL: '',
  defaultModel: '',
  requiresApiKey: false,
  framing: 'sse',
  continueFrom: continueRelayFrom,
  buildRequest: buildRelayRequest,
  createDecoder: createRelayDecoder,
  features: (context) => [cancelRelayOnUnsubscribe(context)],
};
