import { openai } from '../../providers/openai';
import { anthropic } from '../../providers/anthropic';
import { ollama } from '../../providers/ollama';
import { gemini } from '../../providers/gemini';
import { mistral } from '../../providers/mistral';
import { perplexity } from '../../providers/perplexity';
import { lmstudio } from '../../providers/lmstudio';
import { openaiResponses } from '../../providers/openai-responses/openaiResponses';
import { rxllmRelay } from '../../providers/rxllm/rxllmRelay';
import { azure } from '../../providers/azure/azure';
import { azureResponses } from '../../providers/azure/azureResponses';
import type { Provider } from '../provider';

/** The providers `streamChat$` knows by id. */
const providers = new Map<string, Provider<any>>([[openai.id, openai], [anthropic.id, anthropic], [ollama.id, ollama], [gemini.id, gemini], [mistral.id, mistral], [perplexity.id, perplexity], [lmstudio.id, lmstudio], [openaiResponses.id, openaiResponses], [azure.id, azure], [azureResponses.id, azureResponses], [rxllmRelay.id, rxllmRelay]]);

/**
 * Makes a provider available by its id, e.g. one made with `createOpenAICompatibleProvider`.
 * Registering an id again replaces the earlier provider. For the compiler to take the id, add it to
 * `ProviderOptionsById` by declaration merging (with the provider's own options), or pass the
 * provider object itself.
 *
 * @example
 * registerProvider(createOpenAICompatibleProvider({ id: 'openrouter', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' }));
 */
export function registerProvider(provider: Provider<any>): void {
  providers.set(provider.id, provider);
}

/** The provider registered under `id`, or `undefined`. */
export function getProvider(id: string): Provider<any> | undefined {
  return providers.get(id);
}

/** The ids of all registered providers. */
export function providerIds(): string[] {
  return [...providers.keys()];
}
