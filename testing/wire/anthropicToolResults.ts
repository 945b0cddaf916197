type Message = Record<string, unknown>;
type Block = Record<string, unknown>;

/** A message's content blocks of `type` (none for a string content). */
const blocksOf = (message: Message | undefined, type: string): Block[] =>
  Array.isArray(message?.content) ? (message.content as unknown[]).filter((b): b is Block => (b as Block | null)?.type === type) : [];

/** The `tool_use` ids of an assistant message (none for any other message). */
const toolUseIds = (message: Message | undefined): unknown[] => (message?.role === 'assistant' ? blocksOf(message, 'tool_use').map((b) => b.id) : []);

/**
 * How the Messages API refuses tool results that do not pair with the calls before them (a 400
 * `invalid_request_error`), with its words as quoted in public bug reports (anthropics/claude-code#5989,
 * #13460, router-for-me/CLIProxyAPI#497, 2025–2026); `undefined` when they pair. For each message, in order:
 * - each `tool_result` block of a user message must answer a `tool_use` of the assistant message
 *   right before it: "messages.N.content.M: unexpected `tool_use_id` found in `tool_result` blocks:
 *   <id>. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.";
 * - each `tool_use` of an assistant message must be answered by a `tool_result` block of the message
 *   right after it: "messages.N: `tool_use` ids were found without `tool_result` blocks immediately
 *   after: <ids, comma-separated>. Each `tool_use` block must have a corresponding `tool_result` block
 *   in the next message." (N the assistant message). An assistant message that ends the conversation
 *   (a prefill) is not checked here.
 * A result's `is_error: true` changes nothing: it answers its call like any other.
 *
 * @example
 * refusedToolResults([
 *   { role: 'user', content: 'Weather and time in Oslo?' },
 *   { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} }, { type: 'tool_use', id: 'toolu_b', name: 'get_time', input: {} }] },
 *   { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_a', content: 'Sunny' }] },
 * ]); // 'messages.1: `tool_use` ids were found without `tool_result` blocks immediately after: toolu_b. Each `tool_use` block …'
 */
export function refusedToolResults(messages: ReadonlyArray<Message>): string | undefined {
  for (let i = 0; i < messages.length; i++) {
    const calls = toolUseIds(messages[i - 1]);
    const content = Array.isArray(messages[i].content) ? (messages[i].content as unknown[]) : [];
    const unexpected = content.findIndex((b) => (b as Block | null)?.type === 'tool_result' && !calls.includes((b as Block).tool_use_id));
    if (messages[i].role === 'user' && unexpected >= 0) {
      return (
        `messages.${i}.content.${unexpected}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String((content[unexpected] as Block).tool_use_id)}. ` +
        'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
      );
    }
    const answered = new Set(blocksOf(messages[i], 'tool_result').map((b) => b.tool_use_id));
    const missing = calls.filter((id) => !answered.has(id));
    if (missing.length > 0) {
      return (
        `messages.${i - 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.map(String).join(', ')}. ` +
        'Each `tool_use` block must have a corresponding `tool_result` block in the next message.'
      );
    }
  }
  return undefined;
}
