import type * as t from 'io-ts';
import type { Provider, ResolvedOptions } from '../../lib/provider';
import { noStructuredOutput, outputFormat } from '../../lib/structuredOutput';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import { createOpenAICompatibleDecoder } from './createOpenAICompatibleDecoder';
import type { OpenAICompatibleDecoderHooks } from './openAICompatibleDecoderHooks';
import type { OpenAIPartMapper } from './toOpenAIContent';
import { toOpenAIMessages } from './toOpenAIMessages';
import type { OpenAIWireChunk } from './wireChunk';

export interface OpenAICompatibleConfig<O = {}, P extends OpenAIWireChunk = OpenAIWireChunk> {
  /** the provider id used in `streamChat$` and on every chunk */
  id: string;
  /** e.g. `https://api.openai.com/v1`; the path is appended */
  baseURL: string;
  /**
   * appended to the base URL (default `/chat/completions`); a function when a provider option
   * chooses the endpoint (LM Studio's `native`)
   */
  path?: string | ((options: ResolvedOptions<O>) => string);
  defaultModel?: string;
  /** the environment variable the API key is read from */
  apiKeyEnv?: string;
  /** the environment variable the base URL is read from when `baseURL` is not given (see `Provider.baseURLEnv`) */
  baseURLEnv?: Provider<O>['baseURLEnv'];
  /** whether a missing API key is an error (default: true when `apiKeyEnv` is set) */
  requiresApiKey?: boolean;
  /** send `stream_options.include_usage` (OpenAI, LM Studio ≥ 0.3.18); Mistral rejects it */
  includeUsage?: boolean;
  /** the body field for `maxTokens` (OpenAI: `max_completion_tokens`; most servers: `max_tokens`) */
  maxTokensField?: string;
  /** the provider's own options and how they change the request body */
  options?: { codec: t.Type<O, unknown, unknown>; toBody(options: O): Record<string, unknown> };
  /** the operators of the provider's own options (see `Provider.features`) */
  features?: Provider<O>['features'];
  /** where the server's stream differs from OpenAI's (think tags, cumulative usage, extra fields); default: none */
  decoder?: OpenAICompatibleDecoderHooks<P>;
  /**
   * how the `output` option is sent, as `response_format: { type: 'json_schema', json_schema: { name,
   * description?, schema, strict? } }`: `schema: 'strict'` sends the schema in OpenAI's strict form
   * (every key required, optional ones nullable, objects closed) when strict is on, `'open'` the plain
   * schema; `strict: 'always'` sends the `strict` flag (default true), `'if-given'` only when
   * `output.strict` is set, `'never'` not at all. `{ unsupported }`: the server takes none (a
   * `ConfigError` with that reason). Default `{ schema: 'open', strict: 'if-given' }`.
   */
  structuredOutput?: { schema: 'strict' | 'open'; strict: 'always' | 'if-given' | 'never' } | { unsupported: string };
  /** how content parts (images, files) are sent, and what the server takes, for the error of a part it does not; default: OpenAI's */
  contentParts?: { map: OpenAIPartMapper; takes: string };
}

/**
 * A provider for anything that speaks the Chat Completions SSE format: vLLM, llama.cpp's server,
 * OpenRouter, and the built-in OpenAI, Mistral, Perplexity and LM Studio providers.
 *
 * @example
 * const vllm = createOpenAICompatibleProvider({ id: 'vllm', baseURL: 'http://localhost:8000/v1', defaultModel: 'qwen' });
 * streamChat$(vllm, [{ role: 'user', content: 'Hi' }]).subscribe(console.log);
 * // or by id: registerProvider(vllm), and 'vllm' added to ProviderOptionsById (see there)
 */
export function createOpenAICompatibleProvider<O = {}, P extends OpenAIWireChunk = OpenAIWireChunk>(
  config: OpenAICompatibleConfig<O, P>,
): Provider<O> {
  const path = config.path ?? '/chat/completions';
  const hooks = config.decoder;
  const maxTokensField = config.maxTokensField ?? 'max_tokens';
  return {
    id: config.id,
    defaultBaseURL: config.baseURL,
    defaultModel: config.defaultModel ?? 'default',
    apiKeyEnv: config.apiKeyEnv,
    ...(config.baseURLEnv ? { baseURLEnv: config.baseURLEnv } : {}),
    requiresApiKey: config.requiresApiKey ?? config.apiKeyEnv !== undefined,
    framing: 'sse',
    optionsCodec: config.options?.codec,
    buildRequest(messages: readonly ChatMessage[], options: ResolvedOptions<O>): HttpRequest {
      const body: Record<string, unknown> = {
        model: options.model,
        messages: toOpenAIMessages(messages, config.id, config.contentParts),
        stream: true,
      };
      if (config.includeUsage) body.stream_options = { include_usage: true };
      if (options.temperature !== undefined) body.temperature = options.temperature;
      if (options.maxTokens !== undefined) body[maxTokensField] = options.maxTokens;
      if (options.tools?.length) {
        body.tools = options.tools.map((tool) => ({
          type: 'function',
          function: { name: tool.name, description: tool.description, parameters: tool.parameters ?? { type: 'object', properties: {} } },
        }));
      }
      if (options.output) body.response_format = responseFormat(options.output, config.structuredOutput ?? { schema: 'open', strict: 'if-given' });
      if (config.options) Object.assign(body, config.options.toBody(options));
      if (options.extraBody) Object.assign(body, options.extraBody);
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      if (options.headers) Object.assign(headers, options.headers);
      const endpoint = typeof path === 'string' ? path : path(options);
      return { url: options.baseURL.replace(/\/+$/, '') + endpoint, method: 'POST', headers, body };
    },
    createDecoder: hooks ? (context) => createOpenAICompatibleDecoder(context, hooks) : createOpenAICompatibleDecoder,
    features: config.features,
  };
}

/** The `response_format` of the `output` option, as the server takes it (see `OpenAICompatibleConfig.structuredOutput`). */
function responseFormat(output: NonNullable<ResolvedOptions['output']>, kind: NonNullable<OpenAICompatibleConfig['structuredOutput']>): Record<string, unknown> {
  if ('unsupported' in kind) throw noStructuredOutput(kind.unsupported);
  const format = outputFormat(output, kind.schema);
  const jsonSchema: Record<string, unknown> = { name: format.name };
  if (format.description !== undefined) jsonSchema.description = format.description;
  jsonSchema.schema = format.schema;
  if (kind.strict === 'always' || (kind.strict === 'if-given' && output.strict !== undefined)) jsonSchema.strict = format.strict;
  return { type: 'json_schema', json_schema: jsonSchema };
}
