import type { MockMessage, MockTool } from '../mockModel';
import { textOf } from './chatRequest';

/** One item of a Responses API `input` list, as sent. */
type InputItem = Record<string, unknown>;

/** What the mock model needs from a Responses API request body. */
export interface ResponsesRequest {
  /** the conversation as the mock model reads it: `instructions` as a system message, then the `input` items */
  messages: MockMessage[];
  /** the `function` tools (hosted tools such as `web_search` are not the model's to call) */
  tools: MockTool[];
  /** `reasoning.summary` asked for (`auto`, `concise`, `detailed`): the answer has reasoning, streamed as its summary */
  reasoningSummary: boolean;
  /** `max_output_tokens`, when it is a number */
  maxOutputTokens: number | undefined;
}

/**
 * Reads a Responses API body (`POST /v1/responses`) for the mock model: `input` as a string (one
 * user message) or a list of items, `instructions`, `tools` (flat: `{ type: 'function', name,
 * parameters }`), `reasoning.summary` and `max_output_tokens`. The items map to the same messages a
 * Chat Completions request of the same conversation gives (see `readChatRequest`), so both APIs get
 * the same answer and a continuation is recognized the same way:
 * - a message item (`{ role, content }`, `type: 'message'` or none) is a message with its content's text;
 * - a `function_call` item belongs to the assistant turn before it, or starts an empty one (Chat
 *   Completions carries text and calls in one assistant message);
 * - a `function_call_output` item is a `tool` message with its `output`;
 * - other items (`reasoning`, `item_reference`, …) carry nothing the mock model reads.
 *
 * @example
 * readResponsesRequest({ model: 'gpt-5-mini', input: 'Hi', instructions: 'Be brief.' }).messages;
 * // [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }]
 */
export function readResponsesRequest(body: Record<string, unknown>): ResponsesRequest {
  const messages: MockMessage[] = [];
  const instructions = textOf(body.instructions);
  if (instructions) messages.push({ role: 'system', content: instructions });
  for (const item of inputItems(body.input)) {
    if (item.type === 'function_call') {
      if (messages[messages.length - 1]?.role !== 'assistant') messages.push({ role: 'assistant', content: '' });
    } else if (item.type === 'function_call_output') {
      messages.push({ role: 'tool', content: textOf(item.output) });
    } else if ((item.type === undefined || item.type === 'message') && typeof item.role === 'string') {
      messages.push({ role: item.role, content: textOf(item.content) });
    }
  }
  const reasoning = body.reasoning as { summary?: unknown } | null | undefined;
  return {
    messages,
    tools: functionTools(body.tools),
    reasoningSummary: typeof reasoning?.summary === 'string',
    maxOutputTokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined,
  };
}

/**
 * The `call_id` of the first `function_call_output` item that answers no `function_call` item
 * before it, which the API refuses ("No tool call found for function call output with call_id …");
 * `undefined` when every output answers a call.
 *
 * @example
 * unansweredCallId([{ type: 'function_call_output', call_id: 'call_x', output: '42' }]); // 'call_x'
 */
export function unansweredCallId(input: unknown): string | undefined {
  const calls = new Set<unknown>();
  for (const item of inputItems(input)) {
    if (item.type === 'function_call') calls.add(item.call_id);
    else if (item.type === 'function_call_output' && !calls.has(item.call_id)) return String(item.call_id);
  }
  return undefined;
}

/** `input` as a list of items: a string is one user message; anything but a list, none. */
function inputItems(input: unknown): InputItem[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  return input.filter((item): item is InputItem => item !== null && typeof item === 'object');
}

/** The `function` tools of a Responses body, as the mock model takes them. */
function functionTools(tools: unknown): MockTool[] {
  if (!Array.isArray(tools)) return [];
  return (tools as Array<{ type?: unknown; name?: unknown; parameters?: MockTool['parameters'] }>)
    .filter((tool) => tool?.type === 'function')
    .map((tool) => ({ name: typeof tool.name === 'string' ? tool.name : 'tool', parameters: tool.parameters }));
}
