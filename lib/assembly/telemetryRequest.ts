import type { ResolvedOptions } from '../provider';
import type { HttpRequest } from '../transport/httpRequest';
import type { ChatMessage } from '../types/chatMessage';
import type { TelemetryParameters, TelemetryRequest } from '../types/telemetry';
import type { ToolDefinition } from '../types/toolDefinition';

/**
 * What an observer is told of a run before it starts: the provider, the model, the first request's
 * URL without its query or credentials (a Gemini `key=`, a `user:password@` never reach it), the
 * parameters that were set, the messages and the tools' names — never a header.
 *
 * @example
 * telemetryRequest('openai', resolved, request, messages, tools); // { provider: 'openai', model: 'gpt-4o', url: 'https://api.openai.com/v1/chat/completions', … }
 */
export function telemetryRequest(
  provider: string,
  options: ResolvedOptions<Record<string, unknown>>,
  request: HttpRequest,
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[],
): TelemetryRequest {
  const parameters: TelemetryParameters = {};
  if (typeof options.temperature === 'number') parameters.temperature = options.temperature;
  if (typeof options.maxTokens === 'number') parameters.maxTokens = options.maxTokens;
  return {
    provider,
    model: typeof options.model === 'string' ? options.model : '',
    url: bareURL(request.url),
    parameters,
    messages,
    tools: tools.map((tool) => tool.name),
    output: options.output !== undefined,
  };
}

/** The URL without query, fragment or credentials ('' when it does not parse). */
function bareURL(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '';
  }
}
