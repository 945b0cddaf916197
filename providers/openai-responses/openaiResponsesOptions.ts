import * as t from 'io-ts';

/**
 * The Responses provider's own options, checked with the common ones by `streamChat$`.
 *
 * - `background`: create the response as a background response (`background: true`, `store: true`
 *   in the body). It runs on the server whether or not the connection holds, so a stream that
 *   breaks is resumed exactly where it broke (`GET {base}/responses/{id}?stream=true&starting_after=N`:
 *   the events after the last one delivered, no continuation prompt, no seam) when `recovery` is on.
 *
 * @example
 * streamChat$('openai-responses', messages, { model: 'gpt-5-mini', background: true, streamRecovery: true });
 */
export const OpenAIResponsesOptions = t.partial({
  background: t.boolean,
});
export type OpenAIResponsesOptions = t.TypeOf<typeof OpenAIResponsesOptions>;
