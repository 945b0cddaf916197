import type { ChatMessage } from '../../lib/types/chatMessage';
import { OPENAI_PARTS, openaiPart, toOpenAIContent, type OpenAIPartMapper } from './toOpenAIContent';

/**
 * `ChatMessage`s → Chat Completions `messages`: content parts mapped by `parts` (OpenAI's by default),
 * tool calls as `tool_calls` (a custom tool's call as `type: "custom"` with its input text), tool
 * results as `role: 'tool'`. A part the provider does not take is a `ConfigError` naming `provider`
 * and the part.
 *
 * @example
 * toOpenAIMessages([{ role: 'user', content: 'Hi' }]); // [{ role: 'user', content: 'Hi' }]
 */
export function toOpenAIMessages(
  messages: readonly ChatMessage[],
  provider = 'openai',
  parts: { map: OpenAIPartMapper; takes: string } = { map: openaiPart, takes: OPENAI_PARTS },
): Record<string, unknown>[] {
  return messages.map((m, i) => {
    const wire: Record<string, unknown> = { role: m.role, content: toOpenAIContent(m.content, `messages.${i}.content`, provider, parts.map, parts.takes) };
    if (m.name !== undefined) wire.name = m.name;
    if (m.role === 'assistant' && m.toolCalls?.length) {
      wire.tool_calls = m.toolCalls.map((call) =>
        call.custom
          ? { id: call.id, type: 'custom', custom: { name: call.name, input: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? '') } }
          : { id: call.id, type: 'function', function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) } },
      );
    }
    if (m.role === 'tool' && m.toolCallId !== undefined) wire.tool_call_id = m.toolCallId;
    return wire;
  });
}
