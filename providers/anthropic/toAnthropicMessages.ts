import { render } from '../../lib/codec/reportErrors';
import { ConfigError } from '../../lib/errors/configError';
import { unsupportedPart } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { ContentPart } from '../../lib/types/contentPart';

/** Where an image's or a document's bytes are, as the Messages API takes them. */
type AnthropicSource = { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string } | { type: 'text'; media_type: 'text/plain'; data: string };

/** A Messages API content block that rxllm sends. */
export type AnthropicContentBlockParam =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'image'; source: AnthropicSource }
  | { type: 'document'; source: AnthropicSource; title?: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string; is_error?: boolean };

/** One turn of the Messages API `messages`. */
export interface AnthropicMessageParam {
  role: 'user' | 'assistant';
  content: string | AnthropicContentBlockParam[];
}

/**
 * `ChatMessage`s → the Messages API's `system` and `messages`:
 * - `system` messages are joined (blank line between) into the top-level `system` field;
 * - an assistant turn with `toolCalls` becomes its text (when any) plus one `tool_use` block per call,
 *   the arguments parsed when they are JSON text;
 * - an assistant turn's `thinkingBlocks` go first, unchanged and in order (`thinking` with its
 *   signature, `redacted_thinking` with its data), as the API needs them before the `tool_use`
 *   blocks when extended thinking is on; a turn with nothing after them (no text, no call) sends
 *   none, as an assistant turn cannot end with a thinking block; another API's reasoning items
 *   (the Responses API's) are left out;
 * - a `tool` message becomes a `tool_result` block in a user turn; consecutive tool results share
 *   one user turn, as the API expects the answers to parallel calls.
 *
 * - a user's content parts become `text`, `image` and `document` blocks (see `anthropicBlock`).
 *
 * Throws `ConfigError` for a tool message without `toolCallId`, tool call arguments that are not
 * a JSON object, or a part the API takes no block for.
 *
 * @example
 * toAnthropicMessages([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]);
 * // { system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }
 */
export function toAnthropicMessages(messages: readonly ChatMessage[]): { system?: string; messages: AnthropicMessageParam[] } {
  const system: string[] = [];
  const out: AnthropicMessageParam[] = [];
  let toolResults: AnthropicContentBlockParam[] | undefined;

  messages.forEach((m, i) => {
    if (m.role !== 'tool') toolResults = undefined;
    switch (m.role) {
      case 'system':
        if (messageText(m)) system.push(messageText(m));
        return;
      case 'user':
        out.push({ role: 'user', content: Array.isArray(m.content) ? m.content.map((part, j) => anthropicBlock(part, `messages.${i}.content.${j}`)) : (m.content ?? '') });
        return;
      case 'assistant': {
        const text = messageText(m);
        // another API's reasoning (a Responses reasoning item) is not Anthropic's to take back
        const own = m.thinkingBlocks?.filter((block) => block.type !== 'reasoning');
        const thinking = own?.length && (text || m.toolCalls?.length) ? own : undefined;
        if (!m.toolCalls?.length && !thinking) {
          out.push({ role: 'assistant', content: text });
          return;
        }
        const content: AnthropicContentBlockParam[] = [];
        if (thinking) {
          for (const block of thinking) {
            if (block.type === 'thinking') content.push({ type: 'thinking', thinking: block.thinking, signature: block.signature });
            else if (block.type === 'redacted_thinking') content.push({ type: 'redacted_thinking', data: block.data });
          }
        }
        if (text) content.push({ type: 'text', text });
        m.toolCalls?.forEach((call, j) => {
          content.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call.arguments, `messages.${i}.toolCalls.${j}.arguments`) });
        });
        out.push({ role: 'assistant', content });
        return;
      }
      case 'tool': {
        if (!m.toolCallId) {
          throw new ConfigError('messages', [{ path: `messages.${i}.toolCallId`, expected: 'the id of the tool call this message answers', got: 'none' }]);
        }
        const block: AnthropicContentBlockParam = { type: 'tool_result', tool_use_id: m.toolCallId, content: messageText(m), ...(m.isError && { is_error: true }) };
        if (toolResults) toolResults.push(block);
        else {
          toolResults = [block];
          out.push({ role: 'user', content: toolResults });
        }
        return;
      }
      default: {
        const unreachable: never = m.role;
        return unreachable;
      }
    }
  });
  return system.length > 0 ? { system: system.join('\n\n'), messages: out } : { messages: out };
}

/**
 * A user's content part as a Messages API block: text; an image as an `image` block (base64 or URL
 * source); a PDF as a `document` block (base64 or URL), a plain-text file as a `document` with a text
 * source; the file's `name` as the document's `title`. Any other file is a `ConfigError`.
 */
function anthropicBlock(part: ContentPart, path: string): AnthropicContentBlockParam {
  if (part.type === 'text') return { type: 'text', text: part.text };
  if (part.type === 'image') return { type: 'image', source: 'url' in part ? { type: 'url', url: part.url } : { type: 'base64', media_type: part.mediaType, data: part.data } };
  let source: AnthropicSource | undefined;
  if (part.mediaType === 'application/pdf') source = 'url' in part ? { type: 'url', url: part.url } : { type: 'base64', media_type: part.mediaType, data: part.data };
  else if (part.mediaType === 'text/plain' && 'data' in part) source = { type: 'text', media_type: 'text/plain', data: fromBase64(part.data) };
  if (!source) throw unsupportedPart('anthropic', path, part, 'text, images by URL or as base64 data, PDFs by URL or as base64 data, plain text files as base64 data');
  return part.name !== undefined ? { type: 'document', source, title: part.name } : { type: 'document', source };
}

/** UTF-8 text from base64, in Node and in browsers alike. */
const fromBase64 = (data: string): string => new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));

/** A tool call's arguments as the object `tool_use.input` must be. */
function toolInput(args: unknown, path: string): Record<string, unknown> {
  if (args === undefined || args === null || args === '') return {};
  let value = args;
  if (typeof args === 'string') {
    try {
      value = JSON.parse(args);
    } catch {
      throw new ConfigError('messages', [{ path, expected: 'a JSON object (as text or as a value)', got: render(args) }]);
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError('messages', [{ path, expected: 'a JSON object (as text or as a value)', got: render(args) }]);
  }
  return value as Record<string, unknown>;
}
