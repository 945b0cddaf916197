import { dataURL } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { ContentPart } from '../../lib/types/contentPart';

/** A user's content part as a Responses API input part (`ResponseInputContent` of the `openai` package). */
function inputPart(part: ContentPart): Record<string, unknown> {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image') return { type: 'input_image', image_url: 'url' in part ? part.url : dataURL(part.mediaType, part.data), detail: 'auto' };
  const file: Record<string, unknown> = 'url' in part ? { type: 'input_file', file_url: part.url } : { type: 'input_file', file_data: dataURL(part.mediaType, part.data) };
  if (part.name !== undefined || 'data' in part) file.filename = part.name ?? 'file';
  return file;
}

/**
 * `ChatMessage`s → the Responses API's `input` items, in order: system, user and assistant text as
 * message items (`{ role, content }`); an assistant's tool calls as `function_call` items
 * (`call_id`, `name`, `arguments` as JSON text) after its text; a tool result as a
 * `function_call_output` item answering its `call_id`. So a tool conversation round-trips. A user's
 * content parts become `input_text`, `input_image` and `input_file` parts (URLs as they are, inline
 * bytes as `data:` URLs); other turns send their text.
 * Shapes: `EasyInputMessage`, `ResponseFunctionToolCall` and `ResponseInputItem.FunctionCallOutput`
 * of the `openai` package.
 */
export function toResponsesInput(messages: readonly ChatMessage[]): Record<string, unknown>[] {
  const input: Record<string, unknown>[] = [];
  for (const message of messages) {
    if (message.role === 'tool') {
      input.push({ type: 'function_call_output', call_id: message.toolCallId ?? '', output: messageText(message) });
      continue;
    }
    const calls = message.role === 'assistant' ? (message.toolCalls ?? []) : [];
    if (message.role === 'user' && Array.isArray(message.content)) input.push({ role: 'user', content: message.content.map(inputPart) });
    else if (messageText(message) || calls.length === 0) input.push({ role: message.role, content: messageText(message) });
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
