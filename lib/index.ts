/**
 * rxllm — stream LLM chat completions as RxJS Observables.
 *
 * @example
 * import { streamChat$, toResponse } from 'rxllm';
 * const answer = await lastValueFrom(streamChat$('openai', [{ role: 'user', content: 'Hi' }]).pipe(toResponse()));
 */
// The public names of the root entry, listed in spec/packaging/publicNames.spec.ts; a name added or
// removed here is a change of the public API. Transport internals (requestJson$, the framings) stay private.
// Everything of rxllm/core (the operators too, for `import { streamChat$, trackMetrics } from 'rxllm'`),
// with this entry's own streamChat$: by provider id through the registry, or by object.
export * from './assembly/core';
export { streamChat$ } from './assembly/streamChat';
export type { ProviderId, ProviderOptionsById, ProviderOptionsOf } from './assembly/providerOptionsById';
export { registerProvider, getProvider, providerIds } from './assembly/registry';
export { streamMany$ } from './assembly/streamMany';
export { createChatRelay, DEFAULT_RELAY_ALLOW } from './assembly/chatRelay';
export type { ChatRelay, ChatRelayConfig, RelayRequest, RelayResponse } from './assembly/chatRelay';
export { memoryRelayStore } from './relayStore';
export type { RelayStore } from './relayStore';
export type { RelayRequestBody, RelayStart } from './relayWire';
export type { ManyRequest, ManyEvent, ManyMetrics, ProviderLimits, StreamManyConfig } from './assembly/streamMany';
