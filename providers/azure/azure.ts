import type { Provider } from '../../lib/provider';
import { createOpenAICompatibleProvider } from '../openai-compatible/createOpenAICompatibleProvider';
import { authorizeAzure } from './authorizeAzure';
import { AzureOptions, azurePath } from './azureOptions';

/**
 * Azure OpenAI, Chat Completions: the v1 form (`{baseURL}/chat/completions`, the deployment's name as
 * `model`) or the dated one (`{baseURL}/deployments/{deployment}/chat/completions?api-version=…`), see
 * `AzureOptions`. There is no default base URL: each resource has its own. The key comes from
 * `AZURE_OPENAI_API_KEY` when `apiKey` is not given, and is sent as `api-key`. The stream is OpenAI's
 * with Azure's content filter around it — a first chunk with no choices and the prompt's filter
 * results, filter results on each choice, a trailing chunk of filter offsets — which the shared
 * decoder reads as such (nothing in them is text); `finish_reason: content_filter` → `content_filter`.
 *
 * With `azureADTokenProvider` (a Microsoft Entra ID token provider) the token is asked for on every
 * request and sent as `Authorization: Bearer …` instead of the key; it joins the stream's secrets, so
 * no error shows it.
 *
 * @example
 * streamChat$('azure', messages, { baseURL: 'https://acme.openai.azure.com/openai/v1', model: 'my-gpt4o-deployment' });
 */
const chatCompletions = createOpenAICompatibleProvider<AzureOptions>({
  id: 'azure',
  baseURL: '',
  path: azurePath,
  defaultModel: 'gpt-4o-mini',
  apiKeyEnv: 'AZURE_OPENAI_API_KEY',
  includeUsage: true,
  maxTokensField: 'max_completion_tokens',
  structuredOutput: { schema: 'strict', strict: 'always' },
  options: { codec: AzureOptions, toBody: () => ({}) },
});

export const azure: Provider<AzureOptions> = {
  ...chatCompletions,
  buildRequest: (messages, options) => authorizeAzure(chatCompletions.buildRequest(messages, options), options),
};
