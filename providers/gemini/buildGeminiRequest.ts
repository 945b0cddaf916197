import type { ResolvedOptions } from '../../lib/provider';
import { outputFormat } from '../../lib/structuredOutput';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { GeminiOptions } from './geminiOptions';
import { toGeminiContents } from './toGeminiContents';

/**
 * The request for `POST {baseURL}/models/{model}:streamGenerateContent?alt=sse`: the key in the
 * `x-goog-api-key` header (never in the URL), `contents` + `systemInstruction`, `generationConfig`
 * (`temperature`, `maxOutputTokens`, `thinkingConfig`), `tools: [{ functionDeclarations }]` with each
 * tool's JSON Schema as `parametersJsonSchema`, `safetySettings`, and `extraBody` merged last.
 *
 * @example
 * buildGeminiRequest([{ role: 'user', content: 'Hi' }], { model: 'gemini-2.5-flash', baseURL: 'https://generativelanguage.googleapis.com/v1beta', apiKey: 'k' }).url;
 * // 'https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'
 */
export function buildGeminiRequest(messages: readonly ChatMessage[], options: ResolvedOptions<GeminiOptions>): HttpRequest {
  const { contents, systemInstruction } = toGeminiContents(messages);
  const body: Record<string, unknown> = { contents };
  if (systemInstruction) body.systemInstruction = systemInstruction;

  const generationConfig: Record<string, unknown> = {};
  if (options.temperature !== undefined) generationConfig.temperature = options.temperature;
  if (options.maxTokens !== undefined) generationConfig.maxOutputTokens = options.maxTokens;
  const thinking = options.thinking;
  if (thinking) {
    const thinkingConfig: Record<string, unknown> = {};
    if (thinking.budgetTokens !== undefined) thinkingConfig.thinkingBudget = thinking.budgetTokens;
    if (thinking.includeThoughts !== undefined) thinkingConfig.includeThoughts = thinking.includeThoughts;
    generationConfig.thinkingConfig = thinkingConfig;
  }
  if (options.output) {
    // plain JSON Schema goes in `responseJsonSchema` (`responseSchema` is Google's OpenAPI subset), with the JSON MIME type it requires
    generationConfig.responseMimeType = 'application/json';
    generationConfig.responseJsonSchema = outputFormat(options.output, 'open').schema;
  }
  for (const _ in generationConfig) {
    body.generationConfig = generationConfig;
    break;
  }

  if (options.tools?.length) {
    body.tools = [
      {
        functionDeclarations: options.tools.map((tool) => {
          const declaration: Record<string, unknown> = { name: tool.name };
          if (tool.description !== undefined) declaration.description = tool.description;
          if (tool.parameters !== undefined) declaration.parametersJsonSchema = tool.parameters;
          return declaration;
        }),
      },
    ];
  }
  if (options.safetySettings) body.safetySettings = options.safetySettings;
  if (options.extraBody) Object.assign(body, options.extraBody);

  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.apiKey) headers['x-goog-api-key'] = options.apiKey;
  if (options.headers) Object.assign(headers, options.headers);
  const model = encodeURIComponent(options.model.replace(/^models\//, ''));
  return { url: `${options.baseURL.replace(/\/+$/, '')}/models/${model}:streamGenerateContent?alt=sse`, method: 'POST', headers, body };
}
