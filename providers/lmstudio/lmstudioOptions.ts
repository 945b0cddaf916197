import * as t from 'io-ts';
import { ValidateLocalSettings } from './validateLocal';

/**
 * LM Studio's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('lmstudio', messages, { native: true }); // POST /api/v1/chat (or /api/v0 for what v1 cannot take), with server stats
 * streamChat$('lmstudio', messages, { native: 'v0' }); // LM Studio before 0.4.0: POST /api/v0/chat/completions
 * streamChat$('lmstudio', messages, { validateLocal: true, showPerformance: true });
 */
export const LMStudioOptions = t.partial({
  /**
   * use LM Studio's own REST API instead of the OpenAI-compatible `/v1/chat/completions`, for the
   * server's stats on the final chunk:
   * - `'v1'`: the native REST v1 API, `POST /api/v1/chat` (LM Studio ≥ 0.4.0; named events,
   *   `chat.end` stats); it takes a system prompt and user turns only (no earlier answers, no
   *   tools), anything else is a `ConfigError`;
   * - `'v0'`: the legacy REST v0 API, `POST /api/v0/chat/completions` (LM Studio 0.3.6+; the Chat
   *   Completions stream plus `stats`, `model_info`, `runtime` where the server sends them);
   * - `true`: v1 when the request fits it, v0 otherwise (a conversation with earlier answers or
   *   tool results, tools offered, a recovery's continuation) — on LM Studio before 0.4.0 use `'v0'`;
   * - `false` (default): the OpenAI-compatible endpoint.
   */
  native: t.union([t.boolean, t.keyof({ v1: null, v0: null })]),
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

/**
 * The Chat Completions endpoint `LMStudioOptions` choose, appended to the base URL: the REST v0 API
 * when `native` is set (for `true`, what REST v1 cannot take: see `lmstudioEndpoint`), else the
 * OpenAI-compatible one.
 */
export function lmstudioPath(options: LMStudioOptions): string {
  return options.native ? '/api/v0/chat/completions' : '/v1/chat/completions';
}
