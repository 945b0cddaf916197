import * as t from 'io-ts';
import { NonEmptyString } from '../../lib/codec/readable';
import { ModerationCheck, ModerationSettings } from './contentModeration';
import { HighlightFunctionCallsConfig } from './highlightFunctionCalls';

/**
 * The options of the OpenAI provider, checked with the common ones by `streamChat$`. Neither
 * changes the request; each adds an operator to the stream, and is made of that operator's codec.
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
export const OpenAIOptions = t.partial({
  highlightFunctionCalls: t.union([t.boolean, HighlightFunctionCallsConfig]),
  contentModeration: t.union([
    t.boolean,
    t.intersection([t.partial({ check: ModerationCheck, model: NonEmptyString }), ModerationSettings], '{ check?, model?, timeoutMs? }'),
  ]),
});
export type OpenAIOptions = t.TypeOf<typeof OpenAIOptions>;
