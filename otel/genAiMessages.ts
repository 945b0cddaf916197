import type { ChatMessage } from '../lib/types/chatMessage';
import type { ChatResponse } from '../lib/types/chatResponse';
import type { ContentPart } from '../lib/types/contentPart';

/** A message part in the conventions' JSON shape (`gen_ai.input.messages`, `gen_ai.output.messages`). */
type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'reasoning'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string; response: unknown }
  | { type: 'uri'; modality: string; uri: string; mime_type?: string }
  | { type: 'blob'; modality: string; mime_type: string; content: string };

/**
 * The messages sent, as the conventions' opt-in `gen_ai.input.messages` (JSON text): each
 * `{ role, parts, name? }`, with text, tool calls (`tool_call`), tool results (`tool_call_response`),
 * images and files (modality `image` or `document`: `uri`, or `blob` with their base64 data). System
 * turns keep their `system` role: rxllm's messages carry them in the history.
 *
 * @example
 * genAiInputMessages([{ role: 'user', content: 'Hi' }]); // '[{"role":"user","parts":[{"type":"text","content":"Hi"}]}]'
 */
export function genAiInputMessages(messages: readonly ChatMessage[]): string {
  return JSON.stringify(
    messages.map((message) => {
      const parts: GenAiPart[] = [];
      if (message.role === 'tool') {
        parts.push({ type: 'tool_call_response', id: message.toolCallId ?? '', response: textOf(message.content) });
      } else if (typeof message.content === 'string') {
        parts.push({ type: 'text', content: message.content });
      } else if (message.content) {
        for (const part of message.content) parts.push(partOf(part));
      }
      for (const call of message.toolCalls ?? []) parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments });
      return message.name !== undefined ? { role: message.role, parts, name: message.name } : { role: message.role, parts };
    }),
  );
}

/**
 * The answer, as the conventions' opt-in `gen_ai.output.messages` (JSON text): one assistant
 * message with its reasoning, text and tool calls, and its `finish_reason`.
 *
 * @example
 * genAiOutputMessages(response, 'stop'); // '[{"role":"assistant","parts":[{"type":"text","content":"Hello"}],"finish_reason":"stop"}]'
 */
export function genAiOutputMessages(response: ChatResponse, finishReason: string): string {
  const parts: GenAiPart[] = [];
  if (response.reasoning) parts.push({ type: 'reasoning', content: response.reasoning });
  if (response.content) parts.push({ type: 'text', content: response.content });
  for (const call of response.toolCalls) parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: call.arguments ?? call.argumentsText });
  return JSON.stringify([{ role: 'assistant', parts, finish_reason: finishReason }]);
}

function partOf(part: ContentPart): GenAiPart {
  if (part.type === 'text') return { type: 'text', content: part.text };
  const modality = part.type === 'image' ? 'image' : 'document';
  const mimeType = 'mediaType' in part ? part.mediaType : undefined;
  if ('url' in part) return mimeType ? { type: 'uri', modality, uri: part.url, mime_type: mimeType } : { type: 'uri', modality, uri: part.url };
  return { type: 'blob', modality, mime_type: mimeType ?? 'application/octet-stream', content: part.data };
}

function textOf(content: ChatMessage['content']): string {
  if (typeof content === 'string') return content;
  return (content ?? []).map((part) => (part.type === 'text' ? part.text : '')).join('');
}
