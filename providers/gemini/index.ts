/**
 * The Google Gemini provider and its options.
 *
 * @example
 * import { gemini } from 'rxllm/providers/gemini';
 * streamChat$(gemini, [{ role: 'user', content: 'Hi' }]).subscribe(console.log);
 */
// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { gemini } from './gemini';
export { GeminiOptions, GeminiThinkingOptions, GeminiSafetySetting } from './geminiOptions';
