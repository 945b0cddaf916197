import type { Observable } from 'rxjs';
import type { Provider } from '../provider';
import type { ChatMessage } from '../types/chatMessage';
import type { Chunk } from '../types/chunk';
import { assembleChat$ } from './assembleChat';
import { providerObject } from './providerObject';
import type { StreamChatOptions } from './streamChatOptions';

/**
 * `streamChat$` of `rxllm/core`: the same stream, for a provider object only
 * (`rxllm/providers/openai`'s `openai`, …). No provider is bundled that the app does not import, so
 * a browser app ships the core and its one provider, not all ten. An id is a `ConfigError` here
 * (and a compile error).
 *
 * @example
 * import { streamChat$ } from 'rxllm/core';
 * import { openai } from 'rxllm/providers/openai';
 * streamChat$(openai, [{ role: 'user', content: 'Hi' }], { baseURL: '/api/llm/v1' }).subscribe(console.log);
 */
export function streamChat$<O extends object>(provider: Provider<O>, messages: readonly ChatMessage[], options?: StreamChatOptions & Partial<O>): Observable<Chunk> {
  return assembleChat$(() => providerObject(provider, 'a provider object (rxllm/core takes no ids: import the provider from rxllm/providers/<id>)'), messages, options);
}
