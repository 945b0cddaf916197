import * as t from 'io-ts';

/**
 * Mistral's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('mistral', messages, { safePrompt: true, formatCodeBlocks: true });
 */
export const MistralOptions = t.partial({
  /** inject Mistral's safety system prompt before the conversation (`safe_prompt`, default false) */
  safePrompt: t.boolean,
  /** mark chunks inside fenced code blocks and announce each finished block (see `formatCodeBlocks`); not sent */
  formatCodeBlocks: t.boolean,
});
export type MistralOptions = t.TypeOf<typeof MistralOptions>;

/** The request body fields of `MistralOptions` (only those given). */
export function mistralOptionsToBody(options: MistralOptions): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (options.safePrompt !== undefined) body.safe_prompt = options.safePrompt;
  return body;
}
