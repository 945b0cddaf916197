import * as t from 'io-ts';
import { AnyFunction, NonEmptyString, PositiveNumber } from '../../lib/codec/readable';
import type { ModerationCheck } from './contentModeration';

const OpenAIOptionsCodec = t.partial({
  highlightFunctionCalls: t.union([t.boolean, t.partial({ render: t.boolean })]),
  contentModeration: t.union([t.boolean, t.partial({ check: AnyFunction, model: NonEmptyString, timeoutMs: PositiveNumber })]),
});

/**
 * The options of the OpenAI provider, checked with the common ones by `streamChat$`. Neither
 * changes the request; each adds an operator to the stream.
 *
 * - `highlightFunctionCalls: true | { render: true }` — one chunk with `metadata.functionCall =
 *   { index, id, name, arguments }` per tool call once its arguments are complete, with a readable
 *   `rendering` when `render` is set (see the `highlightFunctionCalls` operator).
 * - `contentModeration: true | { check?, model?, timeoutMs? }` — the text so far is checked at
 *   sentence boundaries by `POST {baseURL}/moderations` (model `omni-moderation-latest` unless
 *   `model` is given) or by `check(text)`; flagged text ends the stream with `content_filter` (see
 *   the `contentModeration` operator).
 *
 * @example
 * streamChat$(openai, messages, { tools, highlightFunctionCalls: { render: true }, contentModeration: true });
 */
export const OpenAIOptions = OpenAIOptionsCodec as unknown as t.Type<OpenAIOptions, unknown, unknown> & { props: typeof OpenAIOptionsCodec.props };
export type OpenAIOptions = Omit<t.TypeOf<typeof OpenAIOptionsCodec>, 'contentModeration'> & {
  contentModeration?: boolean | { check?: ModerationCheck; model?: string; timeoutMs?: number };
};
