import * as t from 'io-ts';

/**
 * The Ollama provider's own options, checked with the common ones by `streamChat$`.
 *
 * - `think`: ask a thinking model to think (`true`) or not (`false`), or how hard (`'low'`,
 *   `'medium'`, `'high'`, for models such as gpt-oss) → the body's `think`. Thinking streams as
 *   `chunk.reasoning`.
 * - `keepAlive`: how long the model stays loaded after the request (`'5m'`, seconds, `0` to unload
 *   at once, a negative number to keep it) → `keep_alive`.
 * - `format`: `'json'` or a JSON Schema the answer must follow → `format`, as is.
 * - `ollamaOptions`: model parameters merged into the body's `options` (`num_ctx`, `top_k`,
 *   `seed`, `stop`, …); `temperature` and `maxTokens` (`num_predict`) of the common options win.
 *
 * @example
 * streamChat$('ollama', messages, { model: 'qwen3', think: true, keepAlive: '10m', ollamaOptions: { num_ctx: 8192 } });
 */
export const OllamaOptions = t.partial({
  think: t.union([t.boolean, t.keyof({ low: null, medium: null, high: null })]),
  keepAlive: t.union([t.string, t.number]),
  format: t.union([t.literal('json'), t.record(t.string, t.unknown)]),
  ollamaOptions: t.record(t.string, t.unknown),
});
export type OllamaOptions = t.TypeOf<typeof OllamaOptions>;
