import * as t from 'io-ts';

/**
 * LM Studio's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('lmstudio', messages, { native: true }); // POST /api/v0/chat/completions, with server stats
 */
export const LMStudioOptions = t.partial({
  /**
   * use LM Studio's REST API (`/api/v0/chat/completions`) instead of the OpenAI-compatible
   * `/v1/chat/completions`: same stream format, plus `stats`, `model_info` and `runtime` on the
   * final chunk where the server sends them
   */
  native: t.boolean,
});
export type LMStudioOptions = t.TypeOf<typeof LMStudioOptions>;

/** The endpoint `LMStudioOptions` choose, appended to the base URL. */
export function lmstudioPath(options: LMStudioOptions): string {
  return options.native ? '/api/v0/chat/completions' : '/v1/chat/completions';
}
