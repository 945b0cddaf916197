import type { MockMessage, MockTool } from '../mockModel';
import { textOf } from './chatRequest';

/** One item of a Responses API `input` list, as sent. */
export type InputItem = Record<string, unknown>;

/** What the mock model needs from a Responses API request body. */
export interface ResponsesRequest {
  /** the conversation as the mock model reads it: `instructions` as a system message, then the `input` items */
  messages: MockMessage[];
  /** the `function` and `custom` tools (hosted tools such as `web_search` are not the model's to call) */
  tools: MockTool[];
  /** the names of the custom tools (`type: 'custom'`, free-text input) among them */
  customTools: Set<string>;
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
 * - a `function_call` (or `custom_tool_call`) item belongs to the assistant turn before it, or
 *   starts an empty one (Chat Completions carries text and calls in one assistant message);
 * - a `function_call_output` (or `custom_tool_call_output`) item is a `tool` message with its `output`;
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
    if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      if (messages[messages.length - 1]?.role !== 'assistant') messages.push({ role: 'assistant', content: '' });
    } else if (item.type === 'function_call_output' || item.type === 'custom_tool_call_output') {
      messages.push({ role: 'tool', content: textOf(item.output) });
    } else if ((item.type === undefined || item.type === 'message') && typeof item.role === 'string') {
      messages.push({ role: item.role, content: textOf(item.content) });
    }
  }
  const reasoning = body.reasoning as { summary?: unknown } | null | undefined;
  const tools = modelTools(body.tools);
  return {
    messages,
    tools: tools.map(({ name, parameters }) => ({ name, parameters })),
    customTools: new Set(tools.filter((tool) => tool.custom).map((tool) => tool.name)),
    reasoningSummary: typeof reasoning?.summary === 'string',
    maxOutputTokens: typeof body.max_output_tokens === 'number' ? body.max_output_tokens : undefined,
  };
}

/**
 * The API's refusal of the first `function_call_output` item that answers no `function_call` item
 * before it ("No tool call found for function call output with call_id …"), or of a
 * `custom_tool_call_output` that answers no `custom_tool_call` ("… custom tool call output …");
 * `undefined` when every output answers a call of its kind.
 *
 * @example
 * unansweredCall([{ type: 'function_call_output', call_id: 'call_x', output: '42' }]);
 * // 'No tool call found for function call output with call_id call_x.'
 */
export function unansweredCall(input: unknown): string | undefined {
  const calls = new Set<unknown>();
  const customCalls = new Set<unknown>();
  for (const item of inputItems(input)) {
    if (item.type === 'function_call') calls.add(item.call_id);
    else if (item.type === 'custom_tool_call') customCalls.add(item.call_id);
    else if (item.type === 'function_call_output' && !calls.has(item.call_id)) return `No tool call found for function call output with call_id ${String(item.call_id)}.`;
    else if (item.type === 'custom_tool_call_output' && !customCalls.has(item.call_id)) return `No tool call found for custom tool call output with call_id ${String(item.call_id)}.`;
  }
  return undefined;
}

/** `input` as a list of items: a string is one user message; anything but a list, none. */
export function inputItems(input: unknown): InputItem[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  if (!Array.isArray(input)) return [];
  return input.filter((item): item is InputItem => item !== null && typeof item === 'object');
}

/** The `function` and `custom` tools of a Responses body, as the mock model takes them. */
function modelTools(tools: unknown): Array<MockTool & { custom: boolean }> {
  if (!Array.isArray(tools)) return [];
  return (tools as Array<{ type?: unknown; name?: unknown; parameters?: MockTool['parameters'] }>)
    .filter((tool) => tool?.type === 'function' || tool?.type === 'custom')
    .map((tool) => ({ name: typeof tool.name === 'string' ? tool.name : 'tool', parameters: tool.parameters, custom: tool.type === 'custom' }));
}
