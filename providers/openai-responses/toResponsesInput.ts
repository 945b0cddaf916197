import type { ChatMessage } from '../../lib/types/chatMessage';

/**
 * `ChatMessage`s → the Responses API's `input` items, in order: system, user and assistant text as
 * message items (`{ role, content }`); an assistant's tool calls as `function_call` items
 * (`call_id`, `name`, `arguments` as JSON text) after its text; a tool result as a
 * `function_call_output` item answering its `call_id`. So a tool conversation round-trips.
 * Shapes: `EasyInputMessage`, `ResponseFunctionToolCall` and `ResponseInputItem.FunctionCallOutput`
 * of the `openai` package.
 */
export function toResponsesInput(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const input: Record<string, unknown>[] = [];
  for (const message of messages) {
    if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.toolCallId ?? '', output: message.content ?? '' });
      continue;
    }
    const calls = message.role === 'assistant' ? (message.toolCalls ?? []) : [];
    if (message.content || calls.length === 0) input.push({ role: message.role, content: message.content ?? '' });
    for (const call of calls) {
      input.push({
        type: 'function_call',
        call_id: call.id,
        name: call.name,
        arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
      });
    }
  }
  return input;
}
