import * as t from 'io-ts';
import { ContentPart } from './contentPart';
import { ThinkingBlock } from './thinkingBlock';

export const ChatRole = t.keyof({ system: null, user: null, assistant: null, tool: null });
export type ChatRole = t.TypeOf<typeof ChatRole>;

/**
 * A tool call the assistant made in an earlier turn, sent back in the conversation: a `ToolCall` of
 * the answer's `toResponse()` fits as it is. A custom tool's call (`custom: true`, as `toResponse()`
 * marks it) is sent back as one, its `arguments` the input text.
 */
export const ChatToolCall = t.intersection([
  t.type({
    id: t.string,
    name: t.string,
    /** the arguments as JSON text, or as a value that rxllm serializes; a custom tool's input text */
    arguments: t.unknown,
  }),
  t.partial({
    /** Gemini: the call's thought signature as the answer gave it (`ToolCall.thoughtSignature`); Gemini 3 refuses a tool turn without it */
    thoughtSignature: t.string,
    /** OpenAI: a call of a custom (free-text) tool */
    custom: t.literal(true),
  }),
]);
export type ChatToolCall = t.TypeOf<typeof ChatToolCall>;

/**
 * One turn of the conversation. `content` is text, or a list of parts: text, images and files (in a
 * user turn; each provider maps them to its own format, and a part it cannot take is a `ConfigError`
 * before anything is sent). An assistant turn may carry the `toolCalls` it made and the
 * `thinkingBlocks` that came before them (the answer's `metadata.thinkingBlocks`, sent back unchanged:
 * Anthropic needs them in a tool conversation with extended thinking), and a `tool` turn answers one
 * of them by `toolCallId`.
 *
 * @example
 * const messages: ChatMessage[] = [
 *   { role: 'system', content: 'Answer briefly.' },
 *   { role: 'user', content: [{ type: 'text', text: 'What does this chart show?' }, { type: 'image', url: 'https://example.com/chart.png' }] },
 * ];
 */
export const ChatMessage = t.intersection([
  t.type({ role: ChatRole, content: t.union([t.string, t.null, t.array(ContentPart)]) }),
  t.partial({ name: t.string, toolCalls: t.array(ChatToolCall), toolCallId: t.string, thinkingBlocks: t.array(ThinkingBlock) }),
]);
export type ChatMessage = t.TypeOf<typeof ChatMessage>;
