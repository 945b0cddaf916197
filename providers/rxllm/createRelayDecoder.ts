import { decodeWirePayload } from '../../lib/decodeWirePayload';
import { HttpError } from '../../lib/errors/httpError';
import { ProviderStreamError } from '../../lib/errors/providerStreamError';
import { StreamInterruptedError } from '../../lib/errors/streamInterruptedError';
import type { DecoderContext, StreamDecoder } from '../../lib/provider';
import { RELAY_START_EVENT, type RelayStart } from '../../lib/relayWire';
import type { WireEvent } from '../../lib/transport/sseFraming';
import { Chunk } from '../../lib/types/chunk';
import { toRelayToken } from './relayToken';

/** The public fields of the error a relay reports (`publicErrorFields` on the server). */
interface RelayedError {
  name?: unknown;
  message?: unknown;
  retryable?: unknown;
  status?: unknown;
}

/**
 * Reads a relay's events back into the chunks the server streamed, as they were (their `provider`
 * is the upstream provider's; the transport numbers `seq` again, from 0): the start event gives the
 * stream's id, and when the relay keeps the stream each chunk carries
 * `metadata.continuationToken` = `<id>@<server seq>`, from which recovery reconnects after the last
 * chunk delivered. `done` ends the stream; `error` ends it with the server's error — an `HttpError`
 * with the provider's status when it had one, else a `ProviderStreamError` named for it — keeping
 * its `retryable`. A body that ends before either was cut short (`StreamInterruptedError`).
 */
export function createRelayDecoder({ provider, emit }: DecoderContext): StreamDecoder {
  let start: RelayStart | undefined;
  let done = false;

  const fail = (error: RelayedError) => {
    const message = typeof error.message === 'string' ? error.message : 'the relayed stream failed';
    const retryable = error.retryable === true;
    if (typeof error.status === 'number') throw new HttpError({ provider, status: error.status, body: error, headers: {}, detail: message, retryable });
    throw new ProviderStreamError({ provider, message, errorType: typeof error.name === 'string' ? error.name : undefined, body: error, retryable });
  };

  return {
    onEvent({ data, event }: WireEvent) {
      if (event === RELAY_START_EVENT) {
        start = JSON.parse(data) as RelayStart;
        return;
      }
      if (event === 'done') {
        done = true;
        return;
      }
      if (event === 'error') {
        done = true;
        fail(JSON.parse(data) as RelayedError);
      }
      if (event !== undefined && event !== 'message') return;
      const chunk = decodeWirePayload(Chunk, data, provider) as Chunk;
      if (start?.resumable) chunk.metadata = { ...chunk.metadata, continuationToken: toRelayToken(start.id, chunk.seq) };
      emit(chunk);
    },
    onEnd() {
      if (!done) throw new StreamInterruptedError(`${provider}: the relayed stream ended before its done event`, { provider, retryable: true });
    },
    get done() {
      return done;
    },
  };
}
