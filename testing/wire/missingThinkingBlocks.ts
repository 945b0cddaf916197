/**
 * The Messages API's refusal of a tool conversation with extended thinking whose assistant turn lost
 * its thinking blocks: the assistant turn before the last `tool_result` turn must start with a
 * `thinking` or `redacted_thinking` block. The message is the API's, word for word (as quoted in
 * anthropics/claude-code#20705 and anomalyco/opencode#3077, 2025–2026); `undefined` when the
 * conversation is fine (not a tool result turn, or its assistant turn starts with thinking).
 *
 * @example
 * missingThinkingBlocks([
 *   { role: 'user', content: 'Weather in Oslo?' },
 *   { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }] },
 *   { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }] },
 * ]); // 'messages.1.content.0.type: Expected `thinking` or `redacted_thinking`, but found `tool_use`. …'
 */
export function missingThinkingBlocks(messages: ReadonlyArray<Record<string, unknown>>): string | undefined {
  const last = messages[messages.length - 1];
  if (last?.role !== 'user' || !Array.isArray(last.content) || !last.content.some((b) => (b as { type?: unknown })?.type === 'tool_result')) return undefined;
  let i = messages.length - 2;
  while (i >= 0 && messages[i].role !== 'assistant') i--;
  if (i < 0) return undefined;
  const content = messages[i].content;
  const first = Array.isArray(content) ? (content[0] as { type?: unknown } | undefined)?.type : 'text';
  if (first === 'thinking' || first === 'redacted_thinking') return undefined;
  return (
    `messages.${i}.content.0.type: Expected \`thinking\` or \`redacted_thinking\`, but found \`${String(first ?? 'nothing')}\`. ` +
    'When `thinking` is enabled, a final `assistant` message must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). ' +
    'We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`. ' +
    'Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking'
  );
}
