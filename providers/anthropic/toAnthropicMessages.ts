import { render } from '../../lib/codec/reportErrors';
import { ConfigError } from '../../lib/errors/configError';
import type { ChatMessage } from '../../lib/types/chatMessage';

/** A Messages API content block that rxllm sends. */
export type AnthropicContentBlockParam =
  | { type: 'thinking'; thinking: string; signature: string }
  | { type: 'redacted_thinking'; data: string }
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> }
  | { type: 'tool_result'; tool_use_id: string; content: string };

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
 *   none, as an assistant turn cannot end with a thinking block;
 * - a `tool` message becomes a `tool_result` block in a user turn; consecutive tool results share
 *   one user turn, as the API expects the answers to parallel calls.
 *
 * Throws `ConfigError` for a tool message without `toolCallId` or tool call arguments that are not
 * a JSON object.
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
        if (m.content) system.push(m.content);
        return;
      case 'user':
        out.push({ role: 'user', content: m.content ?? '' });
        return;
      case 'assistant': {
        const thinking = m.thinkingBlocks?.length && (m.content || m.toolCalls?.length) ? m.thinkingBlocks : undefined;
        if (!m.toolCalls?.length && !thinking) {
          out.push({ role: 'assistant', content: m.content ?? '' });
          return;
        }
        const content: AnthropicContentBlockParam[] = [];
        if (thinking) {
          for (const block of thinking) {
            content.push(block.type === 'thinking' ? { type: 'thinking', thinking: block.thinking, signature: block.signature } : { type: 'redacted_thinking', data: block.data });
          }
        }
        if (m.content) content.push({ type: 'text', text: m.content });
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
        const block: AnthropicContentBlockParam = { type: 'tool_result', tool_use_id: m.toolCallId, content: m.content ?? '' };
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
