import { ConfigError } from '../../lib/errors/configError';
import type { ResolvedOptions } from '../../lib/provider';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';

/**
 * The relay request: `POST {baseURL}` (the relay's own address, as it is: `/api/chat` on a page),
 * `{ messages, options }` as JSON, where `options` holds what the page set of `model`,
 * `temperature`, `maxTokens`, `tools` and `extraBody` (the relay takes those its server allows and
 * refuses the rest). `apiKey` is the page's credential for its own server, sent as `authorization:
 * Bearer`; never a provider's key.
 *
 * @example
 * buildRelayRequest([{ role: 'user', content: 'Hi' }], { baseURL: 'https://app.example/api/chat', model: '', temperature: 0.2 });
 * // { url: 'https://app.example/api/chat', method: 'POST', body: { messages: [...], options: { temperature: 0.2 } }, … }
 */
export function buildRelayRequest(messages: readonly ChatMessage[], options: ResolvedOptions): HttpRequest {
  if (!options.baseURL) {
    throw new ConfigError('options', [{ path: 'baseURL', expected: "the relay's URL (createChatRelay on your server), e.g. '/api/chat'", got: 'none' }]);
  }
  if (options.output !== undefined) {
    throw new ConfigError('options', [{ path: 'output', expected: "none (a codec cannot cross the relay: set output on the server's createChatRelay call)", got: 'an output schema' }]);
  }
  const sent: Record<string, unknown> = {};
  if (options.model) sent.model = options.model;
  if (options.temperature !== undefined) sent.temperature = options.temperature;
  if (options.maxTokens !== undefined) sent.maxTokens = options.maxTokens;
  if (options.tools !== undefined) sent.tools = options.tools;
  if (options.extraBody !== undefined) sent.extraBody = options.extraBody;
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.headers) Object.assign(headers, options.headers);
  return { url: options.baseURL, method: 'POST', headers, body: { messages, options: sent } };
}
