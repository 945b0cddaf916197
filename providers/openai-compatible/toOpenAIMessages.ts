import type { ChatMessage } from '../../lib/types/chatMessage';

/**
 * `ChatMessage`s → Chat Completions `messages`: tool calls as `tool_calls` (a custom tool's call as
 * `type: "custom"` with its input text), tool results as `role: 'tool'`.
 */
export function toOpenAIMessages(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  return messages.map((m) => {
    const wire: Record<string, unknown> = { role: m.role, content: m.content };
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
