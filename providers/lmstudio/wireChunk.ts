import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';
import { OpenAIWireChunk } from '../openai-compatible/wireChunk';

const number = nullable(t.number);
const string = nullable(t.string);

/** `stats` of LM Studio's REST API (v0): speed and timings of the answer, in tokens/s and seconds. */
export const LMStudioWireStats = t.partial({
  tokens_per_second: number,
  time_to_first_token: number,
  generation_time: number,
  stop_reason: string,
  draft_model: string,
  total_draft_tokens_count: number,
  accepted_draft_tokens_count: number,
  rejected_draft_tokens_count: number,
  ignored_draft_tokens_count: number,
});
export type LMStudioWireStats = t.TypeOf<typeof LMStudioWireStats>;

/** `model_info`: the loaded model. */
export const LMStudioWireModelInfo = t.partial({ arch: string, quant: string, format: string, context_length: number });
export type LMStudioWireModelInfo = t.TypeOf<typeof LMStudioWireModelInfo>;

/** `runtime`: the inference engine. */
export const LMStudioWireRuntime = t.partial({ name: string, version: string, supported_formats: nullable(t.array(t.string)) });
export type LMStudioWireRuntime = t.TypeOf<typeof LMStudioWireRuntime>;

/**
 * An LM Studio stream payload: the Chat Completions chunk, plus what the REST API (v0) adds to its
 * answers. They are read from any payload that has them (documented on the non-streaming answer;
 * a stream is expected to carry them on its final chunk, older servers send none).
 */
export const LMStudioWireChunk = t.intersection([
  OpenAIWireChunk,
  t.partial({ stats: nullable(LMStudioWireStats), model_info: nullable(LMStudioWireModelInfo), runtime: nullable(LMStudioWireRuntime) }),
]);
export type LMStudioWireChunk = t.TypeOf<typeof LMStudioWireChunk>;
