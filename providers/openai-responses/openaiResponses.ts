import type { Provider } from '../../lib/provider';
import { buildResponsesRequest } from './buildResponsesRequest';
import { continueResponsesFrom } from './continueResponsesFrom';
import { createResponsesDecoder } from './createResponsesDecoder';
import { openaiResponsesFeatures } from './openaiResponsesFeatures';
import { OpenAIResponsesOptions } from './openaiResponsesOptions';

/**
 * OpenAI's Responses API (`POST {baseURL}/responses`, SSE with `event:` names equal to each
 * payload's `type`). The API key comes from `OPENAI_API_KEY` when `apiKey` is not given, the base
 * URL from `OPENAI_BASE_URL` when `baseURL` is not (as openai-node reads them). Streams
 * the same `Chunk`s as every provider: output text, reasoning summaries (or raw reasoning text),
 * function calls answered by their `call_id`, `url_citation` annotations, usage. With `background:
 * true` a broken stream resumes exactly where it broke (`recovery` on).
 *
 * A background response is cancelled when its subscriber leaves before the end.
 *
 * @example
 * streamChat$('openai-responses', [{ role: 'user', content: 'Hi' }], { model: 'gpt-5-mini', background: true, streamRecovery: true });
 */
export const openaiResponses: Provider<OpenAIResponsesOptions> = {
  id: 'openai-responses',
  defaultBaseURL: 'https://api.openai.com/v1',
  defaultModel: 'gpt-5-mini',
  apiKeyEnv: 'OPENAI_API_KEY',
  baseURLEnv: { name: 'OPENAI_BASE_URL' },
  requiresApiKey: true,
  framing: 'sse',
  optionsCodec: OpenAIResponsesOptions,
  continueFrom: continueResponsesFrom,
  buildRequest: buildResponsesRequest,
  createDecoder: createResponsesDecoder,
  features: openaiResponsesFeatures,
};
