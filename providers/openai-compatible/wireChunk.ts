import * as t from 'io-ts';
import { specializeGuard } from '../../lib/codec/compileGuard';
import { nullable } from '../../lib/codec/readable';
import { isOpenAIWireChunk } from './isOpenAIWireChunk';

/**
 * The Chat Completions stream payload (`chat.completion.chunk`), leniently: every field may be
 * absent or null, unknown fields are kept, `object` is not checked (Azure sends `""`, Perplexity
 * `chat.completion.done`). Only what the mapper reads is described.
 */
export const OpenAIWireToolCall = t.partial({
  index: nullable(t.number),
  id: nullable(t.string),
  /** `function`, or `custom` for a custom tool (free-text input) */
  type: nullable(t.string),
  /** `arguments` is a piece of the JSON text; Mistral's schema (and some compatible servers) also allow the whole object */
  function: nullable(t.partial({ name: nullable(t.string), arguments: nullable(t.union([t.string, t.UnknownRecord])) })),
  /** a custom tool's call (OpenAI): `input` is a piece of free text, not JSON */
  custom: nullable(t.partial({ name: nullable(t.string), input: nullable(t.string) })),
});
export type OpenAIWireToolCall = t.TypeOf<typeof OpenAIWireToolCall>;

export const OpenAIWireDelta = t.partial({
  role: nullable(t.string),
  /** a string; Mistral's reasoning models send an array of `text` / `thinking` parts */
  content: nullable(t.union([t.string, t.array(t.unknown)])),
  refusal: nullable(t.string),
  tool_calls: nullable(t.array(OpenAIWireToolCall)),
  /** LM Studio, DeepSeek and other compatible servers */
  reasoning_content: nullable(t.string),
  reasoning: nullable(t.string),
  /** OpenAI search models: `url_citation` annotations on the message text (read leniently, entry by entry) */
  annotations: nullable(t.array(t.unknown)),
  /** an audio answer (OpenAI `modalities: ['text', 'audio']`): its `transcript` is the text */
  audio: nullable(t.partial({ id: nullable(t.string), data: nullable(t.string), transcript: nullable(t.string), expires_at: nullable(t.number) })),
});
export type OpenAIWireDelta = t.TypeOf<typeof OpenAIWireDelta>;

export const OpenAIWireChoice = t.partial({
  index: nullable(t.number),
  delta: nullable(OpenAIWireDelta),
  finish_reason: nullable(t.string),
});
export type OpenAIWireChoice = t.TypeOf<typeof OpenAIWireChoice>;

const count = nullable(t.number);
export const OpenAIWireUsage = t.partial({
  prompt_tokens: count,
  completion_tokens: count,
  total_tokens: count,
  prompt_tokens_details: nullable(t.partial({ cached_tokens: count })),
  completion_tokens_details: nullable(t.partial({ reasoning_tokens: count })),
  /** Perplexity counts reasoning tokens at the top of `usage` */
  reasoning_tokens: count,
});
export type OpenAIWireUsage = t.TypeOf<typeof OpenAIWireUsage>;

export const OpenAIWireChunk = specializeGuard(
  t.partial({
    id: nullable(t.string),
    model: nullable(t.string),
    choices: nullable(t.array(OpenAIWireChoice)),
    usage: nullable(OpenAIWireUsage),
    /** an error inside a 200 stream */
    error: t.unknown,
    /** moderated completions: a trailing chunk with the moderation results */
    moderation: t.unknown,
  }),
  isOpenAIWireChunk,
);
export type OpenAIWireChunk = t.TypeOf<typeof OpenAIWireChunk>;
