/** rxllm's provider ids that have a well-known `gen_ai.provider.name` in the GenAI semantic conventions. */
const WELL_KNOWN: Readonly<Record<string, string>> = {
  openai: 'openai',
  'openai-responses': 'openai',
  azure: 'azure.ai.openai',
  'azure-responses': 'azure.ai.openai',
  anthropic: 'anthropic',
  gemini: 'gcp.gemini',
  mistral: 'mistral_ai',
  perplexity: 'perplexity',
};

/**
 * The `gen_ai.provider.name` of an rxllm provider: the conventions' well-known value where there is
 * one (Gemini's AI Studio endpoint is `gcp.gemini`, Azure OpenAI `azure.ai.openai`), else the id
 * itself (`lmstudio`, `ollama`, a custom provider's id), as the conventions allow.
 *
 * @example
 * genAiProviderName('mistral'); // 'mistral_ai'
 * genAiProviderName('ollama'); // 'ollama'
 */
export function genAiProviderName(provider: string): string {
  return WELL_KNOWN[provider] ?? provider;
}
