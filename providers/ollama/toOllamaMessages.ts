import { ConfigError } from '../../lib/errors/configError';
import { render } from '../../lib/codec/reportErrors';
import { unsupportedPart } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ChatMessage } from '../../lib/types/chatMessage';

/** One message of Ollama's `/api/chat` request. */
export interface OllamaMessage {
  role: ChatMessage['role'];
  content: string;
  /** the message's images, base64 */
  images?: string[];
  tool_calls?: Array<{ id?: string; function: { name: string; arguments: Record<string, unknown> } }>;
  tool_name?: string;
  tool_call_id?: string;
}

/**
 * `ChatMessage`s → Ollama `messages`. `null` content becomes `""`; content parts become the text of
 * the text parts and `images` (base64: Ollama takes no image URL and no file, a `ConfigError`); an assistant's `toolCalls`
 * become `tool_calls` with the arguments as an object (Ollama wants an object, not JSON text); a
 * tool result (`role: 'tool'`) names its tool in `tool_name`, found through `toolCallId` in the
 * assistant turns before it (or taken from the message's `name`), and keeps `tool_call_id`.
 * Arguments that are not a JSON object fail with `ConfigError` naming the message.
 *
 * @example
 * toOllamaMessages([{ role: 'user', content: 'Hi' }]); // [{ role: 'user', content: 'Hi' }]
 */
export function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((m, at) => {
    const wire: OllamaMessage = { role: m.role, content: messageText(m) };
    if (Array.isArray(m.content)) {
      const images = m.content.map((part, i) => {
        if (part.type === 'text') return undefined;
        if (part.type === 'image' && 'data' in part) return part.data;
        throw unsupportedPart('ollama', `messages.${at}.content.${i}`, part, 'text, and images as base64 data');
      });
      const data = images.filter((image): image is string => image !== undefined);
      if (data.length > 0) wire.images = data;
    }
    if (m.role === 'assistant' && m.toolCalls?.length) {
      wire.tool_calls = m.toolCalls.map((call, i) => {
        // a later turn may reuse an id: the nearest call before a tool result wins
        toolNames.set(call.id, call.name);
        const out: NonNullable<OllamaMessage['tool_calls']>[number] = {
          function: { name: call.name, arguments: ollamaArguments(call.arguments, `messages.${at}.toolCalls.${i}.arguments`) },
        };
        if (call.id) out.id = call.id;
        return out;
      });
    }
    if (m.role === 'tool') {
      const name = (m.toolCallId !== undefined ? toolNames.get(m.toolCallId) : undefined) ?? m.name;
      if (name !== undefined) wire.tool_name = name;
      if (m.toolCallId !== undefined) wire.tool_call_id = m.toolCallId;
    }
    return wire;
  });
}

/** A call's arguments as the object Ollama expects: JSON text is parsed, an empty text is `{}`. */
function ollamaArguments(value: unknown, path: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    if (value.trim() === '') return {};
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = undefined;
    }
  } else if (value === undefined || value === null) {
    return {};
  }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  throw new ConfigError('messages', [{ path, expected: 'a JSON object (or its JSON text), as Ollama requires', got: render(value) }]);
}
