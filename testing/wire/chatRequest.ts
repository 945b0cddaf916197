import type { MockMessage, MockTool } from '../mockModel';

/** What the mock model needs from a Chat Completions request body (OpenAI and the servers that copy it). */
export interface ChatRequest {
  messages: MockMessage[];
  tools: MockTool[];
  model: string | undefined;
}

/**
 * Reads `messages` (string or text-part contents) and `tools` of a Chat Completions body, as the
 * OpenAI, Mistral, Perplexity and LM Studio routes all take them.
 */
export function readChatRequest(body: Record<string, unknown>): ChatRequest {
  const raw = Array.isArray(body.messages) ? (body.messages as Array<Record<string, unknown>>) : [];
  const messages: MockMessage[] = raw.map((m) => ({ role: String(m.role), content: textOf(m.content) }));
  const tools: MockTool[] = Array.isArray(body.tools)
    ? (body.tools as Array<{ function?: { name?: string; parameters?: MockTool['parameters'] } }>).map((t) => ({
        name: t.function?.name ?? 'tool',
        parameters: t.function?.parameters,
      }))
    : [];
  return { messages, tools, model: typeof body.model === 'string' && body.model !== '' ? body.model : undefined };
}

/**
 * The entries of a Chat Completions `messages` list as records (an entry that is none, an empty one;
 * anything but a list, none), for the checks that read fields the mock model does not (`tool_calls`,
 * `tool_call_id`).
 *
 * @example
 * messageRecords([{ role: 'user', content: 'Hi' }, null]); // [{ role: 'user', content: 'Hi' }, {}]
 */
export function messageRecords(messages: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(messages)) return [];
  return messages.map((m) => (m !== null && typeof m === 'object' ? (m as Record<string, unknown>) : {}));
}

/**
 * The text of a message's content: a string, or the `text` of each part of a part list joined (the
 * Chat Completions `text` parts, the Responses API's `input_text` / `output_text` parts); parts
 * without text (images, files) add nothing.
 *
 * @example
 * textOf([{ type: 'input_text', text: 'Hi ' }, { type: 'input_image', image_url: '…' }, { type: 'input_text', text: 'there' }]); // 'Hi there'
 */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p as { text?: string })?.text ?? '')).join('');
  return '';
}
