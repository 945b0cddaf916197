import { Observable, tap, throwError, type MonoTypeOperatorFunction } from 'rxjs';
import { render } from './codec/reportErrors';
import { ConfigError } from './errors/configError';
import { bufferChunks } from '../operators/bufferChunks';
import { recoverStream, type ResumeRequest } from '../operators/recoverStream';
import { trackMetrics } from '../operators/trackMetrics';
import { transformChunk } from '../operators/transformChunk';
import { validateChunk } from '../operators/validateChunk';
import { continuationMessages } from './continuationMessages';
import { prepareRequest } from './prepareRequest';
import { rateLimited } from './rateLimited';
import type { Provider } from './provider';
import type { HttpRequest } from './transport/httpRequest';
import { streamChunks$ } from './transport/streamChunks';
import type { ChatMessage } from './types/chatMessage';
import type { Chunk } from './types/chunk';
import type { StreamChatOptions } from './types/streamChatOptions';
import { toTimeoutLimits } from './types/timeoutConfig';
import { withPartialResponse } from './withPartialResponse';

/** Built-in provider ids; any id given to `registerProvider` works too. */
export type ProviderId = 'openai' | 'anthropic' | 'gemini' | 'mistral' | 'perplexity' | 'lmstudio' | 'ollama' | (string & {});

const DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;

/**
 * Streams a chat completion as an Observable of `Chunk`s.
 *
 * Cold: each subscription sends one request, and unsubscribing aborts it (the socket is closed,
 * timers cleared). The options are checked before anything is sent; a bad one makes the Observable
 * fail with `ConfigError` naming its path, and no request is made.
 *
 * ```
 * subscribe ─ request ─────────────────────────────────────────
 * chunks:     ------a---b---c---(d|)      (d: finishReason, usage)
 * ```
 *
 * @param provider a built-in id (`'openai'`, …), a registered id, or a provider object
 * @param messages the conversation so far
 * @param options model, key, base URL, sampling, tools, timeouts, provider options
 *
 * @example
 * streamChat$('openai', [{ role: 'user', content: 'Write a haiku about streams' }], { model: 'gpt-4o-mini' })
 *   .pipe(filter((chunk) => !!chunk.content))
 *   .subscribe((chunk) => process.stdout.write(chunk.content!));
 *
 * @see accumulate
 * @see toResponse
 */
export function streamChat$<O extends object = {}>(
  provider: ProviderId | Provider<O>,
  messages: readonly ChatMessage[],
  options?: StreamChatOptions & Partial<O>,
): Observable<Chunk> {
  let prepared: ReturnType<typeof prepareRequest>;
  try {
    prepared = prepareRequest(provider, messages, options);
  } catch (error) {
    return throwError(() => error);
  }
  const { provider: chosen, messages: checked, options: resolved, request, secrets } = prepared;
  const settings = {
    timeout: toTimeoutLimits(resolved.timeout),
    signal: resolved.signal,
    maxEventBytes: resolved.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    secrets,
    onResponse: resolved.onResponse,
  };
  const { streamRecovery, recovery, rateLimiter } = resolved as StreamChatOptions;
  const attempt = (wire: HttpRequest): Observable<Chunk> =>
    rateLimiter ? rateLimited(rateLimiter, chosen.id, settings, (s) => streamChunks$(chosen, wire, s)) : streamChunks$(chosen, wire, settings);
  let chunks$: Observable<Chunk> = attempt(request);
  if (streamRecovery === true || (recovery !== undefined && streamRecovery !== false)) {
    // before any content the same request again; after content, a continuation of what was received
    const resume = ({ partial }: ResumeRequest) =>
      attempt(partial.content ? chosen.buildRequest(continuationMessages(checked, partial, chosen.continuation ?? 'instruction'), resolved) : request);
    chunks$ = chunks$.pipe(recoverStream(resume, recovery ?? {}));
  }
  // the provider's own features, then the coordinator, in a fixed order (docs/streaming_coordinator.md)
  let coordinator: MonoTypeOperatorFunction<Chunk>[];
  try {
    coordinator = [...(chosen.features?.({ options: resolved, request, secrets }) ?? []), ...coordinatorOf(resolved as StreamChatOptions)];
  } catch (error) {
    return throwError(() => error);
  }
  for (const operator of coordinator) chunks$ = chunks$.pipe(operator);
  chunks$ = chunks$.pipe(withPartialResponse());
  const onError = resolved.onError as ((error: unknown) => void) | undefined;
  if (onError) chunks$ = chunks$.pipe(tap({ error: onError }));
  return chunks$;
}

/** The operators the options ask for, in their fixed order; a bad setting is a `ConfigError` naming the option. */
function coordinatorOf(options: StreamChatOptions): MonoTypeOperatorFunction<Chunk>[] {
  const operators: MonoTypeOperatorFunction<Chunk>[] = [];
  const add = (path: string, make: () => MonoTypeOperatorFunction<Chunk>) => {
    try {
      operators.push(make());
    } catch (error) {
      const reason = (error as Error).message.replace(/^\w+: /, '');
      throw new ConfigError('options', [{ path, expected: `a valid setting (${reason})`, got: render((options as Record<string, unknown>)[path]) }]);
    }
  };
  const { validateChunk: validate, transformChunk: transform, trackMetrics: metrics, onMetrics, metrics$, bufferChunks: buffer } = options;
  if (validate) {
    add('validateChunk', () => (typeof validate === 'function' ? validateChunk(validate) : validateChunk(validate.validate, { onInvalid: validate.onInvalid })));
  }
  if (transform) add('transformChunk', () => transformChunk(transform));
  if (onMetrics || metrics$) add('trackMetrics', () => trackMetrics({ ...(typeof metrics === 'object' ? metrics : {}), onMetrics, metrics$ }));
  if (buffer !== undefined) add('bufferChunks', () => bufferChunks(buffer));
  return operators;
}
