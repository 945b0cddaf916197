import { ConfigError } from '../../lib/errors/configError';
import type { ResolvedOptions } from '../../lib/provider';
import { outputFormat } from '../../lib/structuredOutput';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { AnthropicOptions } from './anthropicOptions';
import { toAnthropicMessages } from './toAnthropicMessages';

/** `max_tokens` when `maxTokens` is not given (the API requires the field). */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/** The API version header sent when `anthropicVersion` is not given. */
export const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The streaming Messages request: `POST {baseURL}/messages` with `x-api-key`, `anthropic-version`
 * and a body of `model`, `max_tokens`, `messages`, `stream: true`, and when given `system`,
 * `temperature`, `tools` (`{ name, description, input_schema }`) and `thinking`. `extraBody` is
 * merged last. Throws `ConfigError` when the thinking budget does not fit in `maxTokens`.
 *
 * @example
 * buildAnthropicRequest([{ role: 'user', content: 'Hi' }], { model: 'claude-sonnet-4-6', baseURL: 'https://api.anthropic.com/v1', apiKey: 'sk-ant-…' });
 * // { url: 'https://api.anthropic.com/v1/messages', method: 'POST', headers: { 'x-api-key': …, 'anthropic-version': '2023-06-01', … }, body: { … } }
 */
export function buildAnthropicRequest(messages: readonly ChatMessage[], options: ResolvedOptions<AnthropicOptions>): HttpRequest {
  const { system, messages: wire } = toAnthropicMessages(messages);
  let maxTokens = options.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  const thinking = options.thinking;
  if (thinking && thinking.budgetTokens >= maxTokens) {
    if (options.maxTokens !== undefined) {
      throw new ConfigError('options', [
        { path: 'thinking.budgetTokens', expected: `fewer tokens than maxTokens (${options.maxTokens})`, got: String(thinking.budgetTokens) },
      ]);
    }
    // room for the answer after the thinking
    maxTokens = thinking.budgetTokens + ANTHROPIC_DEFAULT_MAX_TOKENS;
  }

  const body: Record<string, unknown> = { model: options.model, max_tokens: maxTokens, messages: wire, stream: true };
  if (system !== undefined) body.system = system;
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.tools?.length) {
    body.tools = options.tools.map((tool) => {
      const wireTool: Record<string, unknown> = { name: tool.name };
      if (tool.description !== undefined) wireTool.description = tool.description;
      wireTool.input_schema = tool.parameters ?? { type: 'object', properties: {} };
      return wireTool;
    });
  }
  if (thinking) body.thinking = { type: 'enabled', budget_tokens: thinking.budgetTokens };
  // structured outputs (GA): the answer's text is JSON of the schema; every object closed, no name, no strict flag
  if (options.output) body.output_config = { format: { type: 'json_schema', schema: outputFormat(options.output, 'closed').schema } };
  if (options.extraBody) Object.assign(body, options.extraBody);

  const headers: Record<string, string> = {
    accept: 'text/event-stream',
    'anthropic-version': options.anthropicVersion ?? ANTHROPIC_VERSION,
  };
  if (options.apiKey) headers['x-api-key'] = options.apiKey;
  if (options.headers) Object.assign(headers, options.headers);
  return { url: options.baseURL.replace(/\/+$/, '') + '/messages', method: 'POST', headers, body };
}
