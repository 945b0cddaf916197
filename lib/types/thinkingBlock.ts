import * as t from 'io-ts';

/**
 * A block of the model's thinking, to send back unchanged with the assistant turn it belongs to:
 * Anthropic's extended thinking with tools needs the turn's thinking blocks, in order and with
 * their signatures, before its `tool_use` blocks. `thinking` is a thinking block (its text and the
 * signature that seals it), `redacted_thinking` one the API encrypted (its opaque `data`).
 *
 * @example
 * const blocks: ThinkingBlock[] = [
 *   { type: 'thinking', thinking: 'The user wants the weather in Oslo…', signature: 'EuYBCkQYAiJA…' },
 *   { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix…' },
 * ];
 */
export const ThinkingBlock = t.union([
  t.type({ type: t.literal('thinking'), thinking: t.string, signature: t.string }),
  t.type({ type: t.literal('redacted_thinking'), data: t.string }),
]);
export type ThinkingBlock = t.TypeOf<typeof ThinkingBlock>;
