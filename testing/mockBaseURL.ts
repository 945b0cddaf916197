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
};

/**
 * The `baseURL` that points a provider at the mock server (`/v1` for OpenAI, `/v1beta` for Gemini,
 * the bare URL for Ollama, …). Unknown ids are taken for OpenAI-compatible servers (`/v1`).
 *
 * @example
 * streamChat$('anthropic', messages, { baseURL: mockBaseURL(server, 'anthropic') });
 */
export function mockBaseURL(server: { url: string }, provider: string): string {
  return server.url + (PREFIX[provider] ?? '/v1');
}
