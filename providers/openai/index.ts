import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { openaiFeatures } from './openaiFeatures';
import { OpenAIOptions } from './openaiOptions';

/**
 * OpenAI Chat Completions (`POST {baseURL}/chat/completions`, SSE). The API key comes from
 * `OPENAI_API_KEY` when `apiKey` is not given; usage is requested with
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
  includeUsage: true,
  maxTokensField: 'max_completion_tokens',
  options: { codec: OpenAIOptions, toBody: () => ({}) },
  features: openaiFeatures,
});

export { mapOpenAIFinishReason, convertOpenAIUsage } from '../openai-compatible';
export { OpenAIOptions } from './openaiOptions';
export { openaiFeatures } from './openaiFeatures';
export { highlightFunctionCalls } from './highlightFunctionCalls';
export type { HighlightFunctionCallsConfig, FunctionCallHighlight } from './highlightFunctionCalls';
export { renderFunctionCall } from './renderFunctionCall';
export { contentModeration } from './contentModeration';
export type { ContentModerationConfig, ModerationCheck, ModerationVerdict, ModerationReport } from './contentModeration';
export { lastSentenceEnd } from './lastSentenceEnd';
export { createOpenAIModerationCheck, OPENAI_MODERATION_MODEL } from './createOpenAIModerationCheck';
export { OpenAIModerationResponse, OpenAIModerationResult } from './wireModeration';
