import type { Redis } from 'ioredis';
import type { RelayStore } from '../lib/relayStore';
import { persistStream, type PersistStreamConfig } from './persistStream';
import { resumeStream$, type ResumeStreamConfig } from './resumeStream';

/**
 * A `RelayStore` on Redis (`persistStream` and `resumeStream$`): a page whose connection dropped
 * reconnects to any instance that reaches the same Redis and gets the chunks after its last one.
 *
 * @example
 * const relay = createChatRelay({ provider: 'anthropic', store: redisRelayStore(redis) });
 */
export function redisRelayStore(redis: Redis, config: { persist?: PersistStreamConfig; resume?: Omit<ResumeStreamConfig, 'fromSeq'> } = {}): RelayStore {
  return {
    keep: (id) => persistStream(redis, id, config.persist),
    replay$: (id, fromSeq) => resumeStream$(redis, id, { ...config.resume, fromSeq }),
  };
}
