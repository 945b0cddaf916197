/** Where each provider's paths start on the mock server, as on the real APIs. */
const PREFIX: Record<string, string> = {
  openai: '/v1',
  'openai-responses': '/v1',
  anthropic: '/v1',
  gemini: '/v1beta',
  mistral: '/v1',
  perplexity: '',
  lmstudio: '',
  ollama: '',
  // the v1 form; the dated one is `${server.url}/openai` with `deployment` and `apiVersion`
  azure: '/openai/v1',
  'azure-responses': '/openai/v1',
};

/**
 * The `baseURL` that points a provider at the mock server (`/v1` for OpenAI, `/v1beta` for Gemini,
 * the bare URL for Ollama, `/openai/v1` for Azure OpenAI's v1 form, …). Unknown ids are taken for
 * OpenAI-compatible servers (`/v1`). Azure's dated form starts at `${server.url}/openai`, its
 * deployment and API version after it (`/deployments/{deployment}/chat/completions?api-version=…`).
 *
 * @example
 * streamChat$('anthropic', messages, { baseURL: mockBaseURL(server, 'anthropic') });
 */
export function mockBaseURL(server: { url: string }, provider: string): string {
  return server.url + (PREFIX[provider] ?? '/v1');
}
