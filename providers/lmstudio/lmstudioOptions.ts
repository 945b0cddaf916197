import * as t from 'io-ts';
import { ValidateLocalSettings } from './validateLocal';

/**
 * LM Studio's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('lmstudio', messages, { native: true }); // POST /api/v0/chat/completions, with server stats
 * streamChat$('lmstudio', messages, { validateLocal: true, showPerformance: true });
 */
export const LMStudioOptions = t.partial({
  /**
   * use LM Studio's REST API (`/api/v0/chat/completions`) instead of the OpenAI-compatible
   * `/v1/chat/completions`: same stream format, plus `stats`, `model_info` and `runtime` on the
   * final chunk where the server sends them
   */
  native: t.boolean,
  /** the answer's speed on the final chunk's `metadata.performance`: the server's stats when native, measured otherwise (see `showPerformance`); not sent */
  showPerformance: t.boolean,
  /**
   * before streaming, check that the server answers and has the model loaded, failing with a
   * `LocalServerError` that names the fix (see `validateLocal`); `{ timeoutMs }` bounds the check
   * (default 5000 ms); not sent
   */
  validateLocal: t.union([t.boolean, ValidateLocalSettings]),
});
export type LMStudioOptions = t.TypeOf<typeof LMStudioOptions>;

/** The endpoint `LMStudioOptions` choose, appended to the base URL. */
export function lmstudioPath(options: LMStudioOptions): string {
  return options.native ? '/api/v0/chat/completions' : '/v1/chat/completions';
}
