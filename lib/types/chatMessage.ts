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
export interface ChatToolCall {
  id: string;
  name: string;
  /** the arguments as JSON text, or as a value that rxllm serializes; a custom tool's input text */
  arguments: unknown;
  /** Gemini: the call's thought signature as the answer gave it (`ToolCall.thoughtSignature`); Gemini 3 refuses a tool turn without it */
  thoughtSignature?: string;
  /** OpenAI: a call of a custom (free-text) tool */
  custom?: true;
  /** OpenAI Responses: the call's output item id (`ToolCall.itemId`), which pairs it with the reasoning item before it */
  itemId?: string;
}

/** The codec of `ChatToolCall` (checked against the interface). */
export const ChatToolCall: t.Type<ChatToolCall> = t.intersection([
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
    /** OpenAI Responses: the call's output item id (`ToolCall.itemId`), which pairs it with the reasoning item before it */
    itemId: t.string,
  }),
]);

/**
 * One turn of the conversation. `content` is text, or a list of parts: text, images and files (in a
 * user turn; each provider maps them to its own format, and a part it cannot take is a `ConfigError`
 * before anything is sent). An assistant turn may carry the `toolCalls` it made and the
 * `thinkingBlocks` that came before them (the answer's `metadata.thinkingBlocks`, sent back unchanged:
 * Anthropic needs them in a tool conversation with extended thinking, the Responses API its
 * reasoning items), and a `tool` turn answers one
 * of them by `toolCallId`.
 *
 * @example
 * const messages: ChatMessage[] = [
 *   { role: 'system', content: 'Answer briefly.' },
 *   { role: 'user', content: [{ type: 'text', text: 'What does this chart show?' }, { type: 'image', url: 'https://example.com/chart.png' }] },
 * ];
 */
export interface ChatMessage {
  role: ChatRole;
  /** text, `null` (an assistant turn of tool calls only), or parts: text, images, files (user turns) */
  content: string | null | ContentPart[];
  /** the speaker's name, where the API takes one */
  name?: string;
  /** an assistant turn: the tool calls it made */
  toolCalls?: ChatToolCall[];
  /** a `tool` turn: the id of the call it answers */
  toolCallId?: string;
  /**
   * a `tool` turn: the tool failed, and `content` says how (Anthropic sends it as `is_error`, Gemini
   * as the response's `error`; the other APIs take the text as it is)
   */
  isError?: boolean;
  /** an assistant turn: its thinking blocks (Anthropic) or reasoning items (OpenAI Responses), sent back before its tool calls */
  thinkingBlocks?: ThinkingBlock[];
}

/** The codec of `ChatMessage` (checked against the interface). */
export const ChatMessage: t.Type<ChatMessage> = t.intersection([
  t.type({ role: ChatRole, content: t.union([t.string, t.null, t.array(ContentPart)]) }),
  t.partial({ name: t.string, toolCalls: t.array(ChatToolCall), toolCallId: t.string, isError: t.boolean, thinkingBlocks: t.array(ThinkingBlock) }),
]);
