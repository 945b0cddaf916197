import { messageRecords } from './chatRequest';

/** Mistral's words for tool calls and tool messages that do not pair up. */
export const MISTRAL_UNPAIRED_TOOL_CALLS = 'Not the same number of function calls and responses';

type Message = Record<string, unknown>;

/** How many calls an assistant message makes (`tool_calls`); 0 for any other message. */
const callCount = (message: Message): number => (message.role === 'assistant' && Array.isArray(message.tool_calls) ? message.tool_calls.length : 0);

/**
 * How Mistral's chat completions refuses tool calls and tool messages that do not pair up: "Not the
 * same number of function calls and responses", a 400 `invalid_request_error` (as quoted in
 * mistralai/client-ts#106, camel-ai/camel#1467 and 567-labs/instructor#724, 2024–2025); `undefined`
 * when they do. Each assistant message with `tool_calls` must be followed by as many `tool` messages
 * as it makes calls, and a run of tool messages must follow such a message (it counts as zero calls
 * otherwise); an assistant message that ends the conversation is not checked. Mistral's API does not
 * say where; the mock compares counts, not ids, as its words do.
 *
 * @example
 * unpairedMistralToolCalls([
 *   { role: 'user', content: 'Weather and time in Oslo?' },
 *   { role: 'assistant', content: '', tool_calls: [{ id: 'a1b2c3d4e', function: { name: 'get_weather', arguments: '{}' } }, { id: 'f5g6h7i8j', function: { name: 'get_time', arguments: '{}' } }] },
 *   { role: 'tool', tool_call_id: 'a1b2c3d4e', content: 'Sunny' },
 *   { role: 'user', content: 'And the time?' },
 * ]); // 'Not the same number of function calls and responses'
 */
export function unpairedMistralToolCalls(messages: unknown): string | undefined {
  const list = messageRecords(messages);
  // from i = -1: tool messages that open the conversation answer no call
  for (let i = -1; i < list.length; i++) {
    const calls = i >= 0 ? callCount(list[i]) : 0;
    let responses = 0;
    while (list[i + 1 + responses]?.role === 'tool') responses++;
    const endsConversation = responses === 0 && i + 1 >= list.length;
    if (calls !== responses && !endsConversation) return MISTRAL_UNPAIRED_TOOL_CALLS;
    i += responses;
  }
  return undefined;
}
