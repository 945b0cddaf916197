import { dataURL } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ChatMessage, ChatToolCall } from '../../lib/types/chatMessage';
import type { ContentPart } from '../../lib/types/contentPart';
import type { ThinkingBlock } from '../../lib/types/thinkingBlock';

type InputItem = Record<string, unknown>;
type ReasoningItem = Extract<ThinkingBlock, { type: 'reasoning' }>;

/** A user's content part as a Responses API input part (`ResponseInputContent` of the `openai` package). */
function inputPart(part: ContentPart): InputItem {
  if (part.type === 'text') return { type: 'input_text', text: part.text };
  if (part.type === 'image') return { type: 'input_image', image_url: 'url' in part ? part.url : dataURL(part.mediaType, part.data), detail: 'auto' };
  const file: InputItem = 'url' in part ? { type: 'input_file', file_url: part.url } : { type: 'input_file', file_data: dataURL(part.mediaType, part.data) };
  if (part.name !== undefined || 'data' in part) file.filename = part.name ?? 'file';
  return file;
}

/** A reasoning item as the API takes it back (`ResponseReasoningItem`): `summary` is required, even empty. */
function reasoningInput(item: ReasoningItem): InputItem {
  const sent: InputItem = { type: 'reasoning', id: item.id, summary: item.summary.map((text) => ({ type: 'summary_text', text })) };
  if (item.encryptedContent !== undefined) sent.encrypted_content = item.encryptedContent;
  return sent;
}

/** A tool call as its output item: a `function_call` (arguments as JSON text) or a custom tool's `custom_tool_call` (its input text). */
function callInput(call: ChatToolCall, itemId: string | undefined): InputItem {
  const text = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {});
  const sent: InputItem = call.custom ? { type: 'custom_tool_call', call_id: call.id, name: call.name, input: text } : { type: 'function_call', call_id: call.id, name: call.name, arguments: text };
  if (itemId !== undefined) sent.id = itemId;
  return sent;
}

/**
 * An assistant turn's items: its text, then its tool calls. Each of the turn's reasoning items goes
 * right before the item that followed it (`followedBy`), which then carries its output item id
 * (the text as an output `message` with its `msg_…` id, a call with its `itemId`): the API pairs them
 * by id and refuses one without the other. An item no reasoning item pairs with goes without an id,
 * as a new item; a reasoning item whose follower the turn no longer has is left out.
 */
function assistantItems(message: ChatMessage, items: InputItem[]): void {
  const calls = message.toolCalls ?? [];
  const reasoning = new Map<string, ReasoningItem>();
  for (const block of message.thinkingBlocks ?? []) if (block.type === 'reasoning' && block.followedBy) reasoning.set(block.followedBy, block);
  const text = messageText(message);
  if (text || calls.length === 0) {
    const callIds = new Set(calls.map((call) => call.itemId));
    const before = [...reasoning.values()].find((item) => !callIds.has(item.followedBy));
    if (before && text) {
      items.push(reasoningInput(before), {
        type: 'message',
        role: 'assistant',
        id: before.followedBy,
        status: 'completed',
        content: [{ type: 'output_text', text, annotations: [] }],
      });
    } else items.push({ role: 'assistant', content: text });
  }
  for (const call of calls) {
    const paired = call.itemId === undefined ? undefined : reasoning.get(call.itemId);
    if (paired) items.push(reasoningInput(paired));
    items.push(callInput(call, paired ? call.itemId : undefined));
  }
}

/**
 * `ChatMessage`s → the Responses API's `input` items, in order: system, user and assistant text as
 * message items (`{ role, content }`); an assistant's tool calls as `function_call` items
 * (`call_id`, `name`, `arguments` as JSON text; a custom tool's as `custom_tool_call` with its
 * `input`) after its text, with its reasoning items (see `assistantItems`); a tool result as a
 * `function_call_output` (or `custom_tool_call_output`) item answering its `call_id`. So a tool
 * conversation round-trips. A user's content parts become `input_text`, `input_image` and
 * `input_file` parts (URLs as they are, inline bytes as `data:` URLs); other turns send their text.
 * Shapes: `EasyInputMessage`, `ResponseOutputMessage`, `ResponseReasoningItem`,
 * `ResponseFunctionToolCall`, `ResponseCustomToolCall` and the `…Output` items of the `openai` package.
 */
export function toResponsesInput(messages: readonly ChatMessage[]): InputItem[] {
  const input: InputItem[] = [];
  const customCalls = new Set<string>();
  for (const message of messages) {
    if (message.role === 'tool') {
      const callId = message.toolCallId ?? '';
      input.push({ type: customCalls.has(callId) ? 'custom_tool_call_output' : 'function_call_output', call_id: callId, output: messageText(message) });
    } else if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) if (call.custom) customCalls.add(call.id);
      assistantItems(message, input);
    } else if (message.role === 'user' && Array.isArray(message.content)) {
      input.push({ role: 'user', content: message.content.map(inputPart) });
    } else input.push({ role: message.role, content: messageText(message) });
  }
  return input;
}
