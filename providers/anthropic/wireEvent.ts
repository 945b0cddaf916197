import * as t from 'io-ts';
import { specializeGuard } from '../../lib/codec/compileGuard';
import { nullable } from '../../lib/codec/readable';
import { isAnthropicWireEvent } from './isAnthropicWireEvent';

/**
 * The Anthropic Messages stream payloads, leniently: every field may be absent or null and unknown
 * fields are kept (the API adds fields such as `caller`, `stop_details`, `inference_geo`, and pads
 * its JSON with spaces). One envelope describes every event; the decoder reads the fields its
 * `type` carries. Only what the decoder reads is described.
 */

const count = nullable(t.number);

/** `usage` of `message_start.message` and of `message_delta` (cumulative: a later one replaces an earlier one). */
export const AnthropicWireUsage = t.partial({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  output_tokens_details: nullable(t.partial({ thinking_tokens: count })),
});
export type AnthropicWireUsage = t.TypeOf<typeof AnthropicWireUsage>;

/** `content_block` of `content_block_start`: text, tool_use, thinking, redacted_thinking, fallback, server tool blocks, … */
export const AnthropicWireContentBlock = t.partial({
  type: nullable(t.string),
  text: nullable(t.string),
  id: nullable(t.string),
  name: nullable(t.string),
  input: t.unknown,
  thinking: nullable(t.string),
  signature: nullable(t.string),
  data: nullable(t.string),
  /** `fallback` (beta): the model that takes over, `{ model }` */
  to: t.unknown,
});
export type AnthropicWireContentBlock = t.TypeOf<typeof AnthropicWireContentBlock>;

/** `delta` of `content_block_delta` (text, JSON, thinking, signature, citation) and of `message_delta` (stop reason). */
export const AnthropicWireDelta = t.partial({
  type: nullable(t.string),
  text: nullable(t.string),
  partial_json: nullable(t.string),
  thinking: nullable(t.string),
  signature: nullable(t.string),
  citation: t.unknown,
  stop_reason: nullable(t.string),
  stop_sequence: nullable(t.string),
  stop_details: t.unknown,
});
export type AnthropicWireDelta = t.TypeOf<typeof AnthropicWireDelta>;

/** `message` of `message_start`. */
export const AnthropicWireMessage = t.partial({
  id: nullable(t.string),
  model: nullable(t.string),
  usage: nullable(AnthropicWireUsage),
});
export type AnthropicWireMessage = t.TypeOf<typeof AnthropicWireMessage>;

/** One `data:` payload of the stream. `type` repeats the SSE `event:` name. */
export const AnthropicWireEvent = specializeGuard(
  t.partial({
    type: nullable(t.string),
    index: nullable(t.number),
    message: nullable(AnthropicWireMessage),
    content_block: nullable(AnthropicWireContentBlock),
    delta: nullable(AnthropicWireDelta),
    usage: nullable(AnthropicWireUsage),
    /** `event: error`: `{ type: 'overloaded_error', message: 'Overloaded' }` */
    error: t.unknown,
  }),
  isAnthropicWireEvent,
);
export type AnthropicWireEvent = t.TypeOf<typeof AnthropicWireEvent>;

/** The event types the decoder knows; any other is tolerated and ignored, as the API asks. */
export type AnthropicEventType =
  | 'message_start'
  | 'content_block_start'
  | 'content_block_delta'
  | 'content_block_stop'
  | 'message_delta'
  | 'message_stop'
  | 'ping'
  | 'error';

/** The `content_block_delta` types the decoder maps; others are ignored. */
export type AnthropicDeltaType = 'text_delta' | 'input_json_delta' | 'thinking_delta' | 'signature_delta' | 'citations_delta';

/** The content block types the decoder maps; server tool blocks and new kinds are tolerated. */
export type AnthropicBlockType = 'text' | 'tool_use' | 'thinking' | 'redacted_thinking' | 'fallback';

const BLOCK_TYPES: ReadonlySet<string> = new Set<AnthropicBlockType>(['text', 'tool_use', 'thinking', 'redacted_thinking', 'fallback']);

/** Whether `type` is one of the content block types the decoder maps. */
export const isAnthropicBlockType = (type: string | null | undefined): type is AnthropicBlockType =>
  typeof type === 'string' && BLOCK_TYPES.has(type);
