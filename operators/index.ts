/**
 * The pipeable operators of rxllm. Each works on `Chunk`s from any provider. Listed in
 * spec/packaging/publicNames.spec.ts; an operator's helpers (`coalesceChunks`) stay private.
 */
export { accumulate } from './accumulate';
export { toResponse } from './toResponse';
export { trackMetrics } from './trackMetrics';
export type { TrackMetricsConfig, StreamMetrics } from './trackMetrics';
export { transformChunk } from './transformChunk';
export { validateChunk } from './validateChunk';
export type { ValidateChunkConfig, ChunkValidator } from './validateChunk';
export { bufferChunks } from './bufferChunks';
export type { BufferChunksConfig } from './bufferChunks';
export { recoverStream } from './recoverStream';
export type { RecoverStreamConfig, ResumeRequest, ResumeAttempt, AttemptRecord, RecoveryStrategy } from './recoverStream';
export { toServerSentEvents } from './toServerSentEvents';
export type { ServerSentEvent } from './toServerSentEvents';
export { formatServerSentEvent } from './formatServerSentEvent';
export { pipeToResponse } from './pipeToResponse';
export type { SseResponse } from './pipeToResponse';
