import * as t from 'io-ts';
import { ThinkingBlock } from './thinkingBlock';

export const ChatRole = t.keyof({ system: null, user: null, assistant: null, tool: null });
export type ChatRole = t.TypeOf<typeof ChatRole>;

/** A tool call the assistant made in an earlier turn, sent back in the conversation. */
export const ChatToolCall = t.type({
  id: t.string,
  name: t.string,
  /** the arguments as JSON text, or as a value that rxllm serializes */
  arguments: t.unknown,
});
export type ChatToolCall = t.TypeOf<typeof ChatToolCall>;

/**
 * One turn of the conversation. `content` is plain text; an assistant turn may carry the
 * `toolCalls` it made and the `thinkingBlocks` that came before them (the answer's
 * `metadata.thinkingBlocks`, sent back unchanged: Anthropic needs them in a tool conversation with
 * extended thinking), and a `tool` turn answers one of them by `toolCallId`.
 *
 * @example
 * const messages: ChatMessage[] = [
 *   { role: 'system', content: 'Answer briefly.' },
 *   { role: 'user', content: 'What is the capital of France?' },
 * ];
 */
export const ChatMessage = t.intersection([
  t.type({ role: ChatRole, content: t.union([t.string, t.null]) }),
  t.partial({ name: t.string, toolCalls: t.array(ChatToolCall), toolCallId: t.string, thinkingBlocks: t.array(ThinkingBlock) }),
]);
export type ChatMessage = t.TypeOf<typeof ChatMessage>;
