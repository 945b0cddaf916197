import type { OpenAICompatibleExtrasMapper } from '../openai-compatible/openAICompatibleDecoderHooks';
import type { LMStudioWireChunk, LMStudioWireModelInfo, LMStudioWireRuntime, LMStudioWireStats } from './wireChunk';

/** `metadata.stats`: LM Studio's own measurement of the answer (units in the names), from REST v0's `stats` or REST v1's `chat.end`. */
export interface LMStudioStats {
  tokensPerSecond?: number;
  timeToFirstTokenSeconds?: number;
  /** REST v0 only (v1 sends the output tokens and tokens/s instead) */
  generationTimeSeconds?: number;
  /** REST v1 only, and only when the request had to load the model first */
  modelLoadTimeSeconds?: number;
  /** as sent: `eosFound`, `stopStringFound`, `maxPredictedTokensReached`, … (the finish reason comes from `finish_reason`) */
  stopReason?: string;
  /** speculative decoding */
  draftModel?: string;
  totalDraftTokens?: number;
  acceptedDraftTokens?: number;
  rejectedDraftTokens?: number;
  ignoredDraftTokens?: number;
}

/** `metadata.modelInfo`: the model that answered. */
export interface LMStudioModelInfo {
  arch?: string;
  quant?: string;
  format?: string;
  contextLength?: number;
}

/** `metadata.runtime`: the engine that ran it. */
export interface LMStudioRuntime {
  name?: string;
  version?: string;
  supportedFormats?: string[];
}

/**
 * Per stream: copies LM Studio's `stats`, `model_info` and `runtime` from a payload onto
 * `chunk.metadata` as `stats`, `modelInfo` and `runtime`, camelCased. An empty object (`"stats":
 * {}`, as `/v1` sends it on non-streaming answers) adds nothing. Stateless; a payload without them
 * costs three property reads.
 *
 * @example
 * // final chunk of `streamChat$('lmstudio', messages, { native: true })`:
 * // chunk.metadata.stats → { tokensPerSecond: 51.4, timeToFirstTokenSeconds: 0.111, generationTimeSeconds: 0.954, stopReason: 'eosFound' }
 */
export function createLMStudioMetadataMapper(): OpenAICompatibleExtrasMapper<LMStudioWireChunk> {
  return (payload, chunk) => {
    const { stats, model_info: modelInfo, runtime } = payload;
    if (!stats && !modelInfo && !runtime) return false;
    let added = false;
    const put = (key: string, value: object) => {
      if (Object.keys(value).length === 0) return;
      (chunk.metadata ??= {})[key] = value;
      added = true;
    };
    if (stats) put('stats', convertStats(stats));
    if (modelInfo) put('modelInfo', convertModelInfo(modelInfo));
    if (runtime) put('runtime', convertRuntime(runtime));
    return added;
  };
}

function convertStats(wire: LMStudioWireStats): LMStudioStats {
  const stats: LMStudioStats = {};
  if (typeof wire.tokens_per_second === 'number') stats.tokensPerSecond = wire.tokens_per_second;
  if (typeof wire.time_to_first_token === 'number') stats.timeToFirstTokenSeconds = wire.time_to_first_token;
  if (typeof wire.generation_time === 'number') stats.generationTimeSeconds = wire.generation_time;
  if (typeof wire.stop_reason === 'string') stats.stopReason = wire.stop_reason;
  if (typeof wire.draft_model === 'string') stats.draftModel = wire.draft_model;
  if (typeof wire.total_draft_tokens_count === 'number') stats.totalDraftTokens = wire.total_draft_tokens_count;
  if (typeof wire.accepted_draft_tokens_count === 'number') stats.acceptedDraftTokens = wire.accepted_draft_tokens_count;
  if (typeof wire.rejected_draft_tokens_count === 'number') stats.rejectedDraftTokens = wire.rejected_draft_tokens_count;
  if (typeof wire.ignored_draft_tokens_count === 'number') stats.ignoredDraftTokens = wire.ignored_draft_tokens_count;
  return stats;
}

function convertModelInfo(wire: LMStudioWireModelInfo): LMStudioModelInfo {
  const info: LMStudioModelInfo = {};
  if (typeof wire.arch === 'string') info.arch = wire.arch;
  if (typeof wire.quant === 'string') info.quant = wire.quant;
  if (typeof wire.format === 'string') info.format = wire.format;
  if (typeof wire.context_length === 'number') info.contextLength = wire.context_length;
  return info;
}

function convertRuntime(wire: LMStudioWireRuntime): LMStudioRuntime {
  const runtime: LMStudioRuntime = {};
  if (typeof wire.name === 'string') runtime.name = wire.name;
  if (typeof wire.version === 'string') runtime.version = wire.version;
  if (wire.supported_formats) runtime.supportedFormats = wire.supported_formats.slice();
  return runtime;
}
