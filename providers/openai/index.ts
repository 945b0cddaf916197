import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';

/**
 * OpenAI Chat Completions (`POST {baseURL}/chat/completions`, SSE). The API key comes from
 * `OPENAI_API_KEY` when `apiKey` is not given; usage is requested with
 * `stream_options.include_usage` and arrives on the last chunk.
 *
 * @example
 * streamChat$(openai, [{ role: 'user', content: 'Hi' }], { model: 'gpt-4o-mini' }).subscribe(console.log);
 */
export const openai = createOpenAICompatibleProvider({
  id: 'openai',
  baseURL: 'https://api.openai.com/v1',
  defaultModel: 'gpt-4o-mini',
  apiKeyEnv: 'OPENAI_API_KEY',
  includeUsage: true,
  maxTokensField: 'max_completion_tokens',
});

export { mapOpenAIFinishReason, convertOpenAIUsage } from '../openai-compatible';
