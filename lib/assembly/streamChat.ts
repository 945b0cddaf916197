import type { Observable } from 'rxjs';
import type { Provider } from '../provider';
import type { ChatMessage } from '../types/chatMessage';
import type { Chunk } from '../types/chunk';
import { assembleChat$ } from './assembleChat';
import { providerObject } from './providerObject';
import type { ProviderId, ProviderOptionsOf } from './providerOptionsById';
import { getProvider, providerIds } from './registry';
import type { StreamChatOptions } from './streamChatOptions';

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
 * Every built-in provider comes with this entry (the registry holds them all); a browser app that
 * uses one provider imports `streamChat$` from `rxllm/core` and passes the provider object instead.
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
export function streamChat$<P extends ProviderId | Provider<any>>(
  provider: P,
  messages: readonly ChatMessage[],
  options?: StreamChatOptions & ProviderOptionsOf<P>,
): Observable<Chunk> {
  return assembleChat$(
    () => (typeof provider === 'string' && getProvider(provider)) || providerObject(provider, `a provider object or one of ${providerIds().map((id) => `'${id}'`).join(', ')}`),
    messages,
    options,
  );
}
