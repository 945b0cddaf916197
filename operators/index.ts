/**
 * The pipeable operators of rxllm. Each works on `Chunk`s from any provider. Listed in
 * spec/packaging/publicNames.spec.ts; an operator's helpers (`coalesceChunks`) stay private. The
 * configurations are io-ts codecs (a value and its type of one name), for checking a configuration
 * that comes from a file (`BufferChunksConfig.decode(json)`).
 */
export { accumulate } from './accumulate';
export { toResponse } from './toResponse';
export { toMessages } from './toMessages';
export { partialObjects } from './partialObjects';
export type { PartialObject } from './partialObjects';
export { toObject } from './toObject';
export { trackMetrics } from './trackMetrics';
export { TrackMetricsConfig } from './trackMetrics';
export type { StepMetrics, StreamMetrics } from './trackMetrics';
export { transformChunk } from './transformChunk';
export { validateChunk } from './validateChunk';
export { ValidateChunkConfig, ChunkValidator } from './validateChunk';
export { bufferChunks } from './bufferChunks';
export { BufferChunksConfig } from './bufferChunks';
export { recoverStream } from './recoverStream';
export { RecoverStreamConfig } from './recoverStream';
export type { ResumeRequest, ResumeAttempt, AttemptRecord, RecoveryStrategy } from './recoverStream';
export { toServerSentEvents } from './toServerSentEvents';
export type { ServerSentEvent } from './toServerSentEvents';
export { formatServerSentEvent } from './formatServerSentEvent';
export { pipeToResponse } from './pipeToResponse';
export { PipeToResponseConfig } from './pipeToResponse';
export type { SseResponse } from './pipeToResponse';
