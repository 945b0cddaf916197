import * as t from 'io-ts';
import { isLeft } from '../codec/isLeft';
import { issuesUnder, render, reportErrors, type CodecIssue } from '../codec/reportErrors';
import { ConfigError } from '../errors/configError';
import { describePart } from '../errors/unsupportedPart';
import type { Provider, ResolvedOptions } from '../provider';
import { absoluteHttpURL } from '../pageAddress';
import { secretsOf } from '../redact';
import type { HttpRequest } from '../transport/httpRequest';
import { ChatMessage } from '../types/chatMessage';
import { StreamChatOptions } from './streamChatOptions';

const Messages = t.array(ChatMessage);

export interface PreparedRequest {
  provider: Provider<any>;
  /** the checked messages */
  messages: ChatMessage[];
  options: ResolvedOptions<Record<string, unknown>>;
  request: HttpRequest;
  secrets: string[];
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

  const given = options as Record<string, unknown> & { apiKey?: string; baseURL?: string; model?: string };
  // a relative base URL (checked above: only in a browser page) is resolved against the page, once
  const baseURL = given.baseURL === undefined ? provider.defaultBaseURL : (absoluteHttpURL(given.baseURL) ?? given.baseURL);
  const apiKey = given.apiKey ?? readEnv(provider.apiKeyEnv);
  // A key is required by the provider's own endpoint; a proxy, a local server or the mock server may need none.
  if (!apiKey && provider.requiresApiKey && baseURL === provider.defaultBaseURL) {
    throw new ConfigError('options', [
      { path: 'apiKey', expected: `an API key (pass apiKey${provider.apiKeyEnv ? ` or set ${provider.apiKeyEnv}` : ''})`, got: 'none' },
    ]);
  }
  const resolved = { ...given, baseURL, model: given.model ?? provider.defaultModel } as ResolvedOptions<Record<string, unknown>>;
  if (apiKey) resolved.apiKey = apiKey;
  else delete resolved.apiKey;

  const request = provider.buildRequest(decodedMessages.right, resolved);
  const secrets = secretsOf(request.headers);
  if (apiKey) secrets.push(apiKey);
  return { provider, messages: decodedMessages.right, options: resolved, request, secrets };
}

function readEnv(name: string | undefined): string | undefined {
  if (!name || typeof process === 'undefined' || !process.env) return undefined;
  return process.env[name] || undefined;
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
