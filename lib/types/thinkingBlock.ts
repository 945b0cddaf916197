import * as t from 'io-ts';

/**
 * A block of the model's thinking, to send back unchanged with the assistant turn it belongs to:
 * Anthropic's extended thinking with tools needs the turn's thinking blocks, in order and with
 * their signatures, before its `tool_use` blocks. `thinking` is a thinking block (its text and the
 * signature that seals it), `redacted_thinking` one the API encrypted (its opaque `data`).
 *
 * `reasoning` is a reasoning item of OpenAI's Responses API: its `id` (`rs_…`), its summary texts,
 * its `encryptedContent` when the request asked for it (`include: ['reasoning.encrypted_content']`,
 * what a request with `store: false` needs to send it back) and `followedBy`, the id of the output
 * item that came right after it (a function call's `itemId` or the message's `msg_…` id): the API
 * takes a reasoning item back only directly before that item, and such an item only after it.
 * Each provider sends back its own kinds and leaves the others out.
 *
 * @example
 * const blocks: ThinkingBlock[] = [
 *   { type: 'thinking', thinking: 'The user wants the weather in Oslo…', signature: 'EuYBCkQYAiJA…' },
 *   { type: 'redacted_thinking', data: 'EmwKAhgBEgy3va3pzix…' },
 * ];
 * const item: ThinkingBlock = { type: 'reasoning', id: 'rs_68c1…', summary: ['**Checking the weather**…'], followedBy: 'fc_68c1…' };
 */
export const ThinkingBlock = t.union([
  t.type({ type: t.literal('thinking'), thinking: t.string, signature: t.string }),
  t.type({ type: t.literal('redacted_thinking'), data: t.string }),
  t.intersection([
    t.type({ type: t.literal('reasoning'), id: t.string, summary: t.array(t.string) }),
    t.partial({ encryptedContent: t.string, followedBy: t.string }),
  ]),
]);
export type ThinkingBlock = t.TypeOf<typeof ThinkingBlock>;
