/**
 * `rxllm/redis`: resumable streams and shared rate limits across processes, on Redis (ioredis, an
 * optional peer dependency). See docs/scaling.md.
 */
export { persistStream, PersistStreamConfig } from './persistStream';
export { resumeStream$, ResumeStreamConfig } from './resumeStream';
export type { StoredStreamEnd } from './storedStream';
export { StreamNotFoundError, isStreamNotFoundError } from '../lib/errors/streamNotFoundError';
export { StoredStreamError, isStoredStreamError } from '../lib/errors/storedStreamError';
export { sharedRateLimit, SharedRateLimitConfig } from './sharedRateLimit';
export { redisRelayStore } from './redisRelayStore';
