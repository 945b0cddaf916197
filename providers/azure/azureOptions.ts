import * as t from 'io-ts';
import { ConfigError } from '../../lib/errors/configError';
import { fn, NonEmptyString } from '../../lib/codec/readable';
import type { ResolvedOptions } from '../../lib/provider';

/** A function that returns a Microsoft Entra ID access token, or a Promise of one (`@azure/identity`'s `getBearerTokenProvider`). */
export const AzureTokenProvider = fn<() => string | Promise<string>>('a function () => an Entra ID access token (or a Promise of one)');

/**
 * The Azure OpenAI provider's own options, checked with the common ones by `streamChat$`: the
 * dated API's `deployment` and `apiVersion`, which go together, and `azureADTokenProvider`, a
 * function that returns a Microsoft Entra ID access token (as `@azure/identity`'s
 * `getBearerTokenProvider` makes one), called for every request and sent as `Authorization:
 * Bearer …` instead of the key.
 *
 * - The v1 API (Azure's current one): `baseURL: 'https://{resource}.openai.azure.com/openai/v1'`,
 *   the deployment's name as `model`, neither option.
 * - The dated API: `baseURL: 'https://{resource}.openai.azure.com/openai'`, `deployment` and
 *   `apiVersion` (`'2024-10-21'`) → `POST {baseURL}/deployments/{deployment}/chat/completions?api-version=…`.
 *
 * @example
 * streamChat$('azure', messages, { baseURL: 'https://acme.openai.azure.com/openai', deployment: 'gpt4o', apiVersion: '2024-10-21' });
 */
export const AzureOptions = t.partial({
  deployment: NonEmptyString,
  apiVersion: NonEmptyString,
  azureADTokenProvider: AzureTokenProvider,
});
export type AzureOptions = t.TypeOf<typeof AzureOptions>;

/** What the form of an Azure endpoint needs, for a `ConfigError` that names it. */
const FORMS = "the v1 form (baseURL 'https://{resource}.openai.azure.com/openai/v1', the deployment as model) or the dated one (baseURL '…/openai' with deployment and apiVersion)";

/**
 * The path after `baseURL`: `/chat/completions` in the v1 form, `/deployments/{deployment}/chat/completions?api-version=…`
 * in the dated one. Throws `ConfigError` when there is no base URL (Azure has no default: each resource has its
 * own) or when only one of `deployment` and `apiVersion` is given.
 */
export function azurePath(options: ResolvedOptions<AzureOptions>): string {
  const { deployment, apiVersion } = options;
  if (!options.baseURL) throw new ConfigError('options', [{ path: 'baseURL', expected: `your Azure OpenAI endpoint: ${FORMS}`, got: 'none' }]);
  if (deployment === undefined && apiVersion === undefined) return '/chat/completions';
  if (deployment === undefined) throw new ConfigError('options', [{ path: 'deployment', expected: `the deployment that apiVersion goes with: ${FORMS}`, got: 'none' }]);
  if (apiVersion === undefined) throw new ConfigError('options', [{ path: 'apiVersion', expected: `the API version of the dated form ('2024-10-21'): ${FORMS}`, got: 'none' }]);
  return `/deployments/${encodeURIComponent(deployment)}/chat/completions?api-version=${encodeURIComponent(apiVersion)}`;
}
