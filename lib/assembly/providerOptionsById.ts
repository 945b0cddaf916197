import type { AnthropicOptions } from '../../providers/anthropic/anthropicOptions';
import type { AzureOptions } from '../../providers/azure/azureOptions';
import type { AzureResponsesOptions } from '../../providers/azure/azureResponses';
import type { GeminiOptions } from '../../providers/gemini/geminiOptions';
import type { LMStudioOptions } from '../../providers/lmstudio/lmstudioOptions';
import type { MistralOptions } from '../../providers/mistral/mistralOptions';
import type { OllamaOptions } from '../../providers/ollama/ollamaOptions';
import type { OpenAIResponsesOptions } from '../../providers/openai-responses/openaiResponsesOptions';
import type { OpenAIOptions } from '../../providers/openai/openaiOptions';
import type { PerplexityOptions } from '../../providers/perplexity/perplexityOptions';
import type { Provider } from '../provider';

/**
 * The provider ids `streamChat$` knows, each with the options its provider takes beside the common
 * ones (`StreamChatOptions`): an id or an option that is not here is a compile error, as it would be
 * a `ConfigError` at run time. A provider you register (`registerProvider`) joins by declaration
 * merging, as `ChunkMetadata` does; or pass the provider object itself, whose options are typed from it.
 *
 * @example
 * registerProvider(createOpenAICompatibleProvider({ id: 'openrouter', baseURL: 'https://openrouter.ai/api/v1', apiKeyEnv: 'OPENROUTER_API_KEY' }));
 * declare module 'rxllm' {
 *   interface ProviderOptionsById {
 *     openrouter: {};
 *   }
 * }
 * streamChat$('openrouter', messages, { model: 'meta-llama/llama-3.3-70b-instruct' });
 */
export interface ProviderOptionsById {
  openai: OpenAIOptions;
  'openai-responses': OpenAIResponsesOptions;
  azure: AzureOptions;
  'azure-responses': AzureResponsesOptions;
  anthropic: AnthropicOptions;
  gemini: GeminiOptions;
  mistral: MistralOptions;
  perplexity: PerplexityOptions;
  lmstudio: LMStudioOptions;
  ollama: OllamaOptions;
  /** rxllm's own relay (`createChatRelay`), read back in a page */
  rxllm: {};
}

/** A provider id `streamChat$` knows: a built-in one, or one added to `ProviderOptionsById`. */
export type ProviderId = keyof ProviderOptionsById;

/**
 * The provider's own options beside `StreamChatOptions`: by id, those of `ProviderOptionsById`; for a
 * provider object, those of its codec. For a union of providers, any of theirs.
 */
export type ProviderOptionsOf<P> = P extends ProviderId ? ProviderOptionsById[P] : P extends Provider<infer O> ? Partial<O> : never;
