import type { ChatMessage } from './types/chatMessage';
import type { ToolResult } from './types/toolResult';

/**
 * The `tool` turn that sends a tool's result back: its text, the call it answers, and `isError` when
 * the tool failed (each API then marks it its own way).
 *
 * @example
 * toolResultMessage({ toolCallId: 'call_1', name: 'get_weather', index: 0, value: { celsius: 21 }, content: '{"celsius":21}' });
 * // { role: 'tool', toolCallId: 'call_1', content: '{"celsius":21}' }
 */
export function toolResultMessage(result: ToolResult): ChatMessage {
  const message: ChatMessage = { role: 'tool', toolCallId: result.toolCallId, content: result.content };
  if (result.error) message.isError = true;
  return message;
}
