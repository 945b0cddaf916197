/**
 * `rxllm/redis`: resumable streams and shared rate limits across processes, on Redis (ioredis, an
 * optional peer dependency). See docs/scaling.md.
 */
export { persistStream } from './persistStream';
export type { PersistStreamConfig } from './persistStream';
export { resumeStream$ } from './resumeStream';
export type { ResumeStreamConfig } from './resumeStream';
export type { StoredStreamEnd } from './storedStream';
export { StreamNotFoundError, isStreamNotFoundError } from '../lib/errors/streamNotFoundError';
export { StoredStreamError, isStoredStreamError } from '../lib/errors/storedStreamError';
export { sharedRateLimit } from './sharedRateLimit';
export type { SharedRateLimitConfig } from './sharedRateLimit';
