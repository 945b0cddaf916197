/** The blocks an Anthropic answer's thinking comes in: `thinking` (text and signature) or `redacted_thinking` (opaque data). */
export type AnthropicThinkingKind = 'thinking' | 'redacted_thinking';

/** One block of an answer's thinking as the mock sends it: a thinking block's tokens, or a redacted block's data. */
export type MockThinkingBlock = { type: 'thinking'; pieces: string[] } | { type: 'redacted_thinking'; data: string };

/**
 * An answer's thinking as the blocks `layout` names, in that order: the reasoning's tokens shared
 * out over the `thinking` blocks in order, as evenly as they go (the earlier blocks take the
 * remainder); each `redacted_thinking` block an opaque base64 `data`, distinct per block, as the API
 * sends thinking its safety systems encrypted. The thinking blocks' texts join to the reasoning
 * (a layout of redacted blocks only keeps none of it).
 *
 * @example
 * anthropicThinkingBlocks(['One', ' two', ' three'], ['thinking', 'redacted_thinking', 'thinking'], 'msg_1');
 * // [{ type: 'thinking', pieces: ['One', ' two'] }, { type: 'redacted_thinking', data: 'bW9jay1yZWRhY3RlZC10aGlua2luZzptc2dfMTox' }, { type: 'thinking', pieces: [' three'] }]
 */
export function anthropicThinkingBlocks(tokens: readonly string[], layout: readonly AnthropicThinkingKind[], seed: string): MockThinkingBlock[] {
  const shares = layout.filter((kind) => kind === 'thinking').length;
  let share = 0;
  let at = 0;
  return layout.map((kind, i) => {
    if (kind === 'redacted_thinking') return { type: 'redacted_thinking', data: Buffer.from(`mock-redacted-thinking:${seed}:${i}`).toString('base64') };
    const end = at + Math.floor(tokens.length / shares) + (share < tokens.length % shares ? 1 : 0);
    const pieces = tokens.slice(at, end);
    share++;
    at = end;
    return { type: 'thinking', pieces };
  });
}

/**
 * The layout a request's `x-mock-thinking-blocks` header asks for: a comma-separated list of
 * `thinking` and `redacted_thinking` (1 to 10 of them); `undefined` without the header, the reason
 * when it is not such a list.
 *
 * @example
 * thinkingLayoutOf('thinking, redacted_thinking,thinking'); // ['thinking', 'redacted_thinking', 'thinking']
 * thinkingLayoutOf('redacted'); // 'x-mock-thinking-blocks: a comma-separated list of thinking and redacted_thinking (1 to 10), got "redacted"'
 */
export function thinkingLayoutOf(header: unknown): AnthropicThinkingKind[] | string | undefined {
  if (header === undefined) return undefined;
  const kinds = typeof header === 'string' ? header.split(',').map((kind) => kind.trim()) : [];
  if (kinds.length >= 1 && kinds.length <= 10 && kinds.every((kind) => kind === 'thinking' || kind === 'redacted_thinking')) return kinds as AnthropicThinkingKind[];
  return `x-mock-thinking-blocks: a comma-separated list of thinking and redacted_thinking (1 to 10), got ${JSON.stringify(header)}`;
}
