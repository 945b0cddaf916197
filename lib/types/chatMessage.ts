import * as t from 'io-ts';

export const ChatRole = t.keyof({ system: null, user: null, assistant: null, tool: null });
export type ChatRole = t.TypeOf<typeof ChatRole>;

/**
 * A tool call the assistant made in an earlier turn, sent back in the conversation. A custom tool's
 * call (`custom: true`, as `toResponse()` marks it) is sent back as one, its `arguments` the input text.
 */
export const ChatToolCall = t.intersection([
  t.type({
    id: t.string,
    name: t.string,
    /** the arguments as JSON text, or as a value that rxllm serializes; a custom tool's input text */
    arguments: t.unknown,
  }),
  t.partial({ custom: t.literal(true) }),
]);
export type ChatToolCall = t.TypeOf<typeof ChatToolCall>;

/**
 * One turn of the conversation. `content` is plain text; an assistant turn may carry the
 * `toolCalls` it made, and a `tool` turn answers one of them by `toolCallId`.
 *
 * @example
 * const messages: ChatMessage[] = [
 *   { role: 'system', content: 'Answer briefly.' },
 *   { role: 'user', content: 'What is the capital of France?' },
 * ];
 */
export const ChatMessage = t.intersection([
  t.type({ role: ChatRole, content: t.union([t.string, t.null]) }),
  t.partial({ name: t.string, toolCalls: t.array(ChatToolCall), toolCallId: t.string }),
]);
export type ChatMessage = t.TypeOf<typeof ChatMessage>;
