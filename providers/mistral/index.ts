import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { MISTRAL_PARTS, mistralPart } from './mistralPart';
import { mistralFeatures } from './mistralFeatures';
import { MistralOptions, mistralOptionsToBody } from './mistralOptions';

/**
 * Mistral La Plateforme chat completions (`POST {baseURL}/chat/completions`, OpenAI-style SSE).
 * The API key comes from `MISTRAL_API_KEY` when `apiKey` is not given. Where Mistral differs from
 * OpenAI, all of it on the wire, the shared decoder already copes: usage arrives without being
 * asked for, on the chunk with the finish reason (so no `stream_options`, which Mistral rejects
 * with 422), `maxTokens` is `max_tokens`, tool calls may come whole and without `index`, reasoning
 * models send `content` as an array of `thinking` / `text` parts (→ `reasoning` / `content`), and
 * `finish_reason: "error"` ends the answer with finish reason `'error'`.
 *
 * Provider options: `safePrompt` → `safe_prompt`; `formatCodeBlocks: true` marks the chunks inside
 * fenced code blocks (`metadata.codeBlock`) and announces each finished block
 * (`metadata.completedCodeBlock`, see the `formatCodeBlocks` operator).
 *
 * @example
 * streamChat$(mistral, [{ role: 'user', content: 'Count from 1 to 3' }], { model: 'mistral-small-latest', safePrompt: true })
 *   .subscribe((chunk) => chunk.content && process.stdout.write(chunk.content));
 */
export const mistral = createOpenAICompatibleProvider<MistralOptions>({
  id: 'mistral',
  baseURL: 'https://api.mistral.ai/v1',
  defaultModel: 'mistral-small-latest',
  apiKeyEnv: 'MISTRAL_API_KEY',
  includeUsage: false,
  maxTokensField: 'max_tokens',
  structuredOutput: { schema: 'open', strict: 'always' },
  options: { codec: MistralOptions, toBody: mistralOptionsToBody },
  features: mistralFeatures,
  contentParts: { map: mistralPart, takes: MISTRAL_PARTS },
});

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { MistralOptions } from './mistralOptions';
export { formatCodeBlocks } from './formatCodeBlocks';
export { CodeFenceTracker } from './codeFenceTracker';
export type { CodeBlockRef, CompletedCodeBlock, ClosedCodeBlock, FenceStep } from './codeFenceTracker';
