import * as t from 'io-ts';
import { ConfigError } from '../../lib/errors/configError';
import type { Provider } from '../../lib/provider';
import { openaiResponses } from '../openai-responses/openaiResponses';
import { OpenAIResponsesOptions } from '../openai-responses/openaiResponsesOptions';
import { authorizeAzure } from './authorizeAzure';
import { AzureTokenProvider } from './azureOptions';

/** The options of the Responses API on Azure: the Responses provider's (`background`) and an Entra ID token provider. */
export const AzureResponsesOptions = t.partial({ ...OpenAIResponsesOptions.props, azureADTokenProvider: AzureTokenProvider });
export type AzureResponsesOptions = t.TypeOf<typeof AzureResponsesOptions>;

/**
 * The Responses API on Azure OpenAI, in Azure's v1 form (the one its Responses API documents):
 * `baseURL: 'https://{resource}.openai.azure.com/openai/v1'`, the deployment's name as `model` →
 * `POST {baseURL}/responses`. Everything else is the `openaiResponses` provider's — the stream,
 * background responses resumed exactly and cancelled on unsubscribe — with Azure's authentication:
 * the key (`AZURE_OPENAI_API_KEY`) as `api-key`, or an Entra ID token made for every request
 * (`azureADTokenProvider`, see `authorizeAzure`). There is no default base URL.
 *
 * @example
 * streamChat$('azure-responses', messages, { baseURL: 'https://acme.openai.azure.com/openai/v1', model: 'my-gpt5-deployment', background: true });
 */
export const azureResponses: Provider<AzureResponsesOptions> = {
  ...(openaiResponses as Provider<AzureResponsesOptions>),
  id: 'azure-responses',
  defaultBaseURL: '',
  defaultModel: 'gpt-5-mini',
  apiKeyEnv: 'AZURE_OPENAI_API_KEY',
  optionsCodec: AzureResponsesOptions,
  buildRequest(messages, options) {
    if (!options.baseURL) {
      throw new ConfigError('options', [{ path: 'baseURL', expected: "your Azure OpenAI endpoint in the v1 form: 'https://{resource}.openai.azure.com/openai/v1'", got: 'none' }]);
    }
    return authorizeAzure(openaiResponses.buildRequest(messages, options), options);
  },
};
