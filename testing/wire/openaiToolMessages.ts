import { messageRecords } from './chatRequest';

/** Why OpenAI's Chat Completions refuses a conversation's tool messages, and the parameter it names. */
export interface ToolMessagesRefusal {
  message: string;
  /** `messages.[i].role` or `messages.[i].tool_call_id`, as api.openai.com writes the path */
  param: string;
}

type Message = Record<string, unknown>;

/** The ids of an assistant message's `tool_calls` (none for any other message). */
const callIdsOf = (message: Message): unknown[] =>
  message.role === 'assistant' && Array.isArray(message.tool_calls) ? message.tool_calls.map((call) => (call as { id?: unknown } | null)?.id) : [];

/**
 * How the Chat Completions API refuses a conversation whose `tool` messages do not pair with the
 * assistant's `tool_calls` (a 400 `invalid_request_error`, `code: null`), with its words as quoted in
 * public bug reports (sdcb/chats#132, router-for-me/CLIProxyAPI#2798, hinthornw/trustcall#12,
 * dapr/dapr-agents#145, 2024–2026); `undefined` when every call is answered. The first refused message wins:
 * - a `tool` message that no assistant message with `tool_calls` precedes (other tool messages
 *   aside): "Invalid parameter: messages with role 'tool' must be a response to a preceeding message
 *   with 'tool_calls'." (sic), at `messages.[i].role`;
 * - one whose `tool_call_id` is none of that message's calls: "Invalid parameter: 'tool_call_id' of
 *   '…' not found in 'tool_calls' of previous message.", at `messages.[i].tool_call_id` (the path is
 *   the mock's guess: the reports quote the message alone);
 * - an assistant message whose calls the tool messages right after it do not all answer: "An
 *   assistant message with 'tool_calls' must be followed by tool messages responding to each
 *   'tool_call_id'. The following tool_call_ids did not have response messages: <ids, joined with ', '>"
 *   (hinthornw/trustcall#12 quotes two), at `messages.[j].role`, j the message after those tool
 *   messages (`messages.length` when they end the conversation; the path is the mock's reading of the
 *   reports, which show `messages.[57].role` and, in 2024, `messages`). An assistant message that
 *   ends the conversation is not checked.
 *
 * @example
 * refusedToolMessages([
 *   { role: 'user', content: 'Weather and time in Oslo?' },
 *   { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{}' } }] },
 *   { role: 'user', content: 'Well?' },
 * ]);
 * // { message: "An assistant message with 'tool_calls' must be followed by … did not have response messages: call_a", param: 'messages.[2].role' }
 */
export function refusedToolMessages(messages: unknown): ToolMessagesRefusal | undefined {
  const list = messageRecords(messages);
  // the calls of the assistant message the current run of tool messages answers, and those answered so far
  let calls: unknown[] | undefined;
  const answered = new Set<unknown>();
  const unansweredAt = (i: number): ToolMessagesRefusal | undefined => {
    const unanswered = (calls ?? []).filter((id) => !answered.has(id));
    if (unanswered.length === 0) return undefined;
    return {
      message: `An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: ${unanswered.map(String).join(', ')}`,
      param: `messages.[${i}].role`,
    };
  };
  for (const [i, message] of list.entries()) {
    if (message.role === 'tool') {
      if (calls === undefined) {
        return { message: "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.", param: `messages.[${i}].role` };
      }
      if (!calls.includes(message.tool_call_id)) {
        return { message: `Invalid parameter: 'tool_call_id' of '${String(message.tool_call_id)}' not found in 'tool_calls' of previous message.`, param: `messages.[${i}].tool_call_id` };
      }
      answered.add(message.tool_call_id);
      continue;
    }
    const refused = unansweredAt(i);
    if (refused) return refused;
    const ids = callIdsOf(message);
    // an assistant message with calls that ends the conversation is not checked
    calls = ids.length > 0 && i < list.length - 1 ? ids : undefined;
    answered.clear();
  }
  return unansweredAt(list.length);
}
