import * as t from 'io-ts';
import { isLeft } from '../codec/isLeft';
import { issuesUnder, render, reportErrors, type CodecIssue } from '../codec/reportErrors';
import { ConfigError, isConfigError } from '../errors/configError';
import { checkJsonSchema } from '../checkJsonSchema';
import { describePart } from '../errors/unsupportedPart';
import type { Provider, ResolvedOptions } from '../provider';
import { absoluteHttpURL } from '../pageAddress';
import { secretsOf, secretsOfURL } from '../redact';
import { apiKeyEnvNames, envApiKey, envBaseURL } from './providerEnvironment';
import type { HttpRequest } from '../transport/httpRequest';
import { ChatMessage } from '../types/chatMessage';
import { jsonSchemaOf } from '../jsonSchemaOf';
import { isCodec } from '../types/schemaCodecs';
import type { RequestTool, ToolDefinition } from '../types/toolDefinition';
import { StreamChatOptions } from './streamChatOptions';

const Messages = t.array(ChatMessage);

export interface PreparedRequest {
  provider: Provider<any>;
  /** the checked messages */
  messages: ChatMessage[];
  options: ResolvedOptions<Record<string, unknown>>;
  request: HttpRequest;
  secrets: string[];
  /** the tools as given (`execute` and codecs kept; `options.tools` has them as they are sent) */
  tools: ToolDefinition[];
}

/**
 * Everything `streamChat$` checks and builds before it sends: the provider, the messages, the
 * options (common and the provider's own, unknown names refused), the API key and the request.
 * Throws `ConfigError` naming the path of the first thing wrong.
 */
export function prepareRequest(provider: Provider<any>, messages: unknown, options: unknown): PreparedRequest {

  const decodedMessages = Messages.decode(messages);
  if (isLeft(decodedMessages)) throw new ConfigError('messages', issuesUnder('messages', reportErrors(decodedMessages.left)));
  if (decodedMessages.right.length === 0) {
    throw new ConfigError('messages', [{ path: 'messages', expected: 'at least one message', got: '[]' }]);
  }
  const misplaced = misplacedParts(decodedMessages.right);
  if (misplaced.length > 0) throw new ConfigError('messages', misplaced);

  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError('options', [{ path: 'options', expected: 'an object', got: render(options) }]);
  }
  const codec = provider.optionsCodec ? t.intersection([StreamChatOptions, provider.optionsCodec]) : StreamChatOptions;
  const decoded = codec.decode(options);
  if (isLeft(decoded)) throw new ConfigError('options', reportErrors(decoded.left));
  const known = new Set([...Object.keys(StreamChatOptions.props), ...Object.keys(provider.optionsCodec?.props ?? {})]);
  const unknown = Object.keys(options as object).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new ConfigError(
      'options',
      unknown.map((key) => ({ path: key, expected: `a known option of ${provider.id} (${[...known].join(', ')})`, got: 'an unknown option' })),
    );
  }

  const metrics = options as { trackMetrics?: unknown; onMetrics?: unknown; metrics$?: unknown };
  if (metrics.trackMetrics && !metrics.onMetrics && !metrics.metrics$) {
    throw new ConfigError('options', [{ path: 'trackMetrics', expected: 'onMetrics or metrics$ beside it, to receive the metrics', got: 'neither' }]);
  }

  const given = options as Record<string, unknown> & { apiKey?: string; baseURL?: string; model?: string; proxy?: string | false };
  const conflicts = transportConflicts(given);
  if (conflicts.length > 0) throw new ConfigError('options', conflicts);
  // an option given wins over the variable the provider's official SDK reads (OPENAI_BASE_URL, GOOGLE_API_KEY, …);
  // a relative base URL (checked above: only in a browser page) is resolved against the page, once
  const baseURL = given.baseURL !== undefined ? (absoluteHttpURL(given.baseURL) ?? given.baseURL) : (envBaseURL(provider) ?? provider.defaultBaseURL);
  const apiKey = given.apiKey ?? envApiKey(provider);
  // A key is required by the provider's own endpoint; a proxy, a local server or the mock server may need none.
  if (!apiKey && provider.requiresApiKey && baseURL === provider.defaultBaseURL) {
    const names = apiKeyEnvNames(provider);
    throw new ConfigError('options', [
      { path: 'apiKey', expected: `an API key (pass apiKey${names.length > 0 ? ` or set ${names.join(' or ')}` : ''})`, got: 'none' },
    ]);
  }
  const resolved = { ...given, baseURL, model: given.model ?? provider.defaultModel } as ResolvedOptions<Record<string, unknown>>;
  if (Array.isArray(given.tools)) resolved.tools = (given.tools as ToolDefinition[]).map(requestTool);
  if (apiKey) resolved.apiKey = apiKey;
  else delete resolved.apiKey;

  const request = provider.buildRequest(decodedMessages.right, resolved);
  const secrets = secretsOf(request.headers);
  if (apiKey) secrets.push(apiKey);
  // credentials in a URL (a base URL's `user:password@`, the proxy's) are secrets too
  secrets.push(...secretsOfURL(baseURL));
  if (typeof given.proxy === 'string') secrets.push(...secretsOfURL(given.proxy));
  return { provider, messages: decodedMessages.right, options: resolved, request, secrets, tools: (given.tools as ToolDefinition[] | undefined) ?? [] };
}

/**
 * A tool as the providers send it: a codec's parameters as their JSON Schema (a codec that has none
 * is a `ConfigError` naming its path), no `execute`. The JSON Schema of a tool that runs itself is
 * checked now, since its calls' arguments will be checked against it (`checkJsonSchema`).
 */
function requestTool({ name, description, parameters, execute }: ToolDefinition, i: number): RequestTool {
  const sent: RequestTool = { name };
  if (description !== undefined) sent.description = description;
  if (isCodec(parameters)) sent.parameters = jsonSchemaOf(parameters, 'open', `tools.${i}.parameters`);
  else if (parameters !== undefined) {
    if (execute) {
      try {
        checkJsonSchema(parameters);
      } catch (error) {
        throw isConfigError(error) ? new ConfigError('options', issuesUnder(`tools.${i}.parameters`, error.issues)) : error;
      }
    }
    sent.parameters = parameters;
  }
  return sent;
}

/** `fetch` makes its own connections: an agent or a proxy beside it would silently do nothing. */
function transportConflicts(given: Record<string, unknown>): CodecIssue[] {
  if (given.fetch === undefined) return [];
  return ['httpAgent', 'httpsAgent', 'proxy']
    .filter((name) => given[name] !== undefined)
    .map((name) => ({ path: name, expected: 'nothing beside fetch (a fetch makes its own connections: give it its agent, dispatcher or proxy)', got: `${name} and fetch` }));
}

/** Images and files outside user turns: no API takes them there. */
function misplacedParts(messages: readonly ChatMessage[]): CodecIssue[] {
  const issues: CodecIssue[] = [];
  messages.forEach(({ role, content }, i) => {
    if (role === 'user' || !Array.isArray(content)) return;
    content.forEach((part, j) => {
      if (part.type !== 'text') issues.push({ path: `messages.${i}.content.${j}`, expected: `text (images and files go in user messages, not ${role} messages)`, got: describePart(part) });
    });
  });
  return issues;
}
