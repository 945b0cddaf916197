/**
 * The pipeable operators of rxllm. Each works on `Chunk`s from any provider.
 */
export { accumulate } from '../lib/accumulate';
export { toResponse } from '../lib/toResponse';
export { trackMetrics } from './trackMetrics';
export type { TrackMetricsConfig, StreamMetrics } from './trackMetrics';
