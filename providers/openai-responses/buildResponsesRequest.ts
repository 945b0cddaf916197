import type { ResolvedOptions } from '../../lib/provider';
import { outputFormat } from '../../lib/structuredOutput';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { OpenAIResponsesOptions } from './openaiResponsesOptions';
import { toResponsesInput } from './toResponsesInput';

/**
 * The streaming Responses request: `POST {baseURL}/responses` with `authorization: Bearer` and a
 * body of `model`, `input` (`toResponsesInput`), `stream: true`, and when given `temperature`,
 * `max_output_tokens` (`maxTokens`) and `tools` (`{ type: 'function', name, description,
 * parameters }`, flat, unlike Chat Completions), `background: true` with `store: true` for a
 * background response. `extraBody` is merged last (`reasoning: {
 * summary: 'auto' }`, `store`, `include`, …).
 *
 * @example
 * buildResponsesRequest([{ role: 'user', content: 'Hi' }], { model: 'gpt-5-mini', baseURL: 'https://api.openai.com/v1', apiKey: 'sk-…' });
 * // { url: 'https://api.openai.com/v1/responses', method: 'POST', headers: { authorization: 'Bearer sk-…', … }, body: { model, input, stream: true } }
 */
export function buildResponsesRequest(messages: readonly ChatMessage[], options: ResolvedOptions<OpenAIResponsesOptions>): HttpRequest {
  const body: Record<string, unknown> = { model: options.model, input: toResponsesInput(messages), stream: true };
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.maxTokens !== undefined) body.max_output_tokens = options.maxTokens;
  // a background response must be stored (the API refuses `background` with `store: false`)
  if (options.background) Object.assign(body, { background: true, store: true });
  if (options.tools?.length) {
    body.tools = options.tools.map((tool) => {
      const wire: Record<string, unknown> = { type: 'function', name: tool.name };
      if (tool.description !== undefined) wire.description = tool.description;
      wire.parameters = tool.parameters ?? { type: 'object', properties: {} };
      return wire;
    });
  }
  if (options.output) {
    // the Responses API's structured outputs: `text.format`, flat (no `json_schema` wrapper), strict by default
    const { name, description, schema, strict } = outputFormat(options.output, 'strict');
    body.text = { format: { type: 'json_schema', name, ...(description !== undefined ? { description } : {}), schema, strict } };
  }
  if (options.extraBody) Object.assign(body, options.extraBody);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.headers) Object.assign(headers, options.headers);
  return { url: `${options.baseURL.replace(/\/+$/, '')}/responses`, method: 'POST', headers, body };
}
