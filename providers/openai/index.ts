import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { openaiFeatures } from './openaiFeatures';
import { OpenAIOptions } from './openaiOptions';

/**
 * OpenAI Chat Completions (`POST {baseURL}/chat/completions`, SSE). The API key comes from
 * `OPENAI_API_KEY` when `apiKey` is not given, the base URL from `OPENAI_BASE_URL` (as openai-node
 * reads them) when `baseURL` is not; usage is requested with
 * `stream_options.include_usage` and arrives on the last chunk. Provider options:
 * `highlightFunctionCalls` (a chunk per completed tool call, its arguments parsed) and
 * `contentModeration` (the text checked at sentence boundaries; flagged text ends the stream with
 * `content_filter`).
 *
 * @example
 * streamChat$(openai, [{ role: 'user', content: 'Hi' }], { model: 'gpt-4o-mini' }).subscribe(console.log);
 */
export const openai = createOpenAICompatibleProvider<OpenAIOptions>({
  id: 'openai',
  baseURL: 'https://api.openai.com/v1',
  defaultModel: 'gpt-4o-mini',
  apiKeyEnv: 'OPENAI_API_KEY',
  baseURLEnv: { name: 'OPENAI_BASE_URL' },
  includeUsage: true,
  maxTokensField: 'max_completion_tokens',
  structuredOutput: { schema: 'strict', strict: 'always' },
  options: { codec: OpenAIOptions, toBody: () => ({}) },
  features: openaiFeatures,
});

// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { OpenAIOptions } from './openaiOptions';
export { highlightFunctionCalls, HighlightFunctionCallsConfig } from './highlightFunctionCalls';
export type { FunctionCallHighlight } from './highlightFunctionCalls';
export { contentModeration, ContentModerationConfig } from './contentModeration';
export type { ModerationCheck, ModerationVerdict, ModerationReport } from './contentModeration';
export { createOpenAIModerationCheck } from './createOpenAIModerationCheck';
