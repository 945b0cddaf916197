import type { ResolvedOptions } from '../../lib/provider';
import { ConfigError } from '../../lib/errors/configError';
import { outputFormat } from '../../lib/structuredOutput';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { OllamaOptions } from './ollamaOptions';
import { toOllamaMessages } from './toOllamaMessages';

/**
 * The `POST {baseURL}/api/chat` request: `model`, `messages`, `stream: true`, `tools`, the model
 * parameters in `options` (`temperature`, `num_predict` from `maxTokens`, plus `ollamaOptions`),
 * and `think`, `keep_alive`, `format` from the provider options. An API key (hosted Ollama) is sent
 * as a Bearer token; a local server needs none.
 *
 * @example
 * buildOllamaRequest([{ role: 'user', content: 'Hi' }], { model: 'llama3.2', baseURL: 'http://localhost:11434' });
 * // → { url: 'http://localhost:11434/api/chat', method: 'POST', body: { model: 'llama3.2', messages: [...], stream: true }, ... }
 */
export function buildOllamaRequest(messages: readonly ChatMessage[], options: ResolvedOptions<OllamaOptions>): HttpRequest {
  const body: Record<string, unknown> = {
    model: options.model,
    messages: toOllamaMessages(messages),
    stream: true,
  };
  if (options.tools?.length) {
    body.tools = options.tools.map((tool) => ({
      type: 'function',
      function: { name: tool.name, description: tool.description, parameters: tool.parameters ?? { type: 'object', properties: {} } },
    }));
  }
  const modelOptions: Record<string, unknown> = options.ollamaOptions ? Object.assign({}, options.ollamaOptions) : {};
  if (options.temperature !== undefined) modelOptions.temperature = options.temperature;
  if (options.maxTokens !== undefined) modelOptions.num_predict = options.maxTokens;
  if (Object.keys(modelOptions).length > 0) body.options = modelOptions;
  if (options.think !== undefined) body.think = options.think;
  if (options.keepAlive !== undefined) body.keep_alive = options.keepAlive;
  if (options.output) {
    if (options.format !== undefined) {
      throw new ConfigError('options', [{ path: 'format', expected: 'nothing beside output (both set the answer\'s format: keep one)', got: 'format and output' }]);
    }
    body.format = outputFormat(options.output, 'open').schema;
  } else if (options.format !== undefined) body.format = options.format;
  if (options.extraBody) Object.assign(body, options.extraBody);

  const headers: Record<string, string> = { accept: 'application/x-ndjson' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.headers) Object.assign(headers, options.headers);
  return { url: options.baseURL.replace(/\/+$/, '') + '/api/chat', method: 'POST', headers, body };
}
