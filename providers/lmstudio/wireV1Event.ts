import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';

/**
 * The payloads of LM Studio's native REST v1 chat stream (`POST /api/v1/chat` with `stream: true`,
 * LM Studio ≥ 0.4.0), leniently: every field may be absent or null and unknown fields are kept.
 * Each event is `event: <type>` + one `data:` line whose JSON repeats the type in `type`
 * (lmstudio.ai/docs/developer/rest/streaming-events). One envelope describes every event; the
 * decoder reads the fields its type carries. Only what the decoder reads is described.
 */

const count = nullable(t.number);
const text = nullable(t.string);

/** `result.stats` of `chat.end` (and of the non-streaming answer): counts, tokens/s, seconds. */
export const LMStudioV1WireStats = t.partial({
  input_tokens: count,
  total_output_tokens: count,
  reasoning_output_tokens: count,
  tokens_per_second: count,
  time_to_first_token_seconds: count,
  /** only when the request had to load the model */
  model_load_time_seconds: count,
});
export type LMStudioV1WireStats = t.TypeOf<typeof LMStudioV1WireStats>;

/** `result` of `chat.end`: the whole answer again (`output` items), its stats and, when stored, its `response_id`. */
export const LMStudioV1WireResult = t.partial({
  model_instance_id: text,
  output: t.unknown,
  stats: nullable(LMStudioV1WireStats),
  response_id: text,
});
export type LMStudioV1WireResult = t.TypeOf<typeof LMStudioV1WireResult>;

/** One `data:` payload of the stream. */
export const LMStudioV1WireEvent = t.partial({
  type: text,
  /** `chat.start`, `model_load.*` */
  model_instance_id: text,
  /** `reasoning.delta`, `message.delta` */
  content: text,
  /** `tool_call.*`: the tool's name */
  tool: text,
  /** `tool_call.arguments`, `tool_call.success`: an OBJECT, not JSON text */
  arguments: t.unknown,
  /** `tool_call.success`: the tool's raw output */
  output: text,
  /** `tool_call.*`: `{ type: 'plugin', plugin_id }` or `{ type: 'ephemeral_mcp', server_label }` */
  provider_info: t.unknown,
  /** `tool_call.failure` */
  reason: text,
  metadata: t.unknown,
  /** `error`: `{ type, message, code?, param? }` */
  error: t.unknown,
  /** `chat.end` */
  result: nullable(LMStudioV1WireResult),
});
export type LMStudioV1WireEvent = t.TypeOf<typeof LMStudioV1WireEvent>;

/**
 * The event types the decoder knows. `model_load.*`, `prompt_processing.*` and the `*.start` /
 * `*.end` markers are known and carry nothing for the answer; any other type is tolerated.
 */
export type LMStudioV1EventType =
  | 'chat.start'
  | 'model_load.start'
  | 'model_load.progress'
  | 'model_load.end'
  | 'prompt_processing.start'
  | 'prompt_processing.progress'
  | 'prompt_processing.end'
  | 'reasoning.start'
  | 'reasoning.delta'
  | 'reasoning.end'
  | 'tool_call.start'
  | 'tool_call.arguments'
  | 'tool_call.success'
  | 'tool_call.failure'
  | 'message.start'
  | 'message.delta'
  | 'message.end'
  | 'error'
  | 'chat.end';
