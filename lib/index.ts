/**
 * rxllm — stream LLM chat completions as RxJS Observables.
 *
 * @example
 * import { streamChat$, toResponse } from 'rxllm';
 * const answer = await lastValueFrom(streamChat$('openai', [{ role: 'user', content: 'Hi' }]).pipe(toResponse()));
 */
// The public names of the root entry, listed in spec/packaging/publicNames.spec.ts; a name added or
// removed here is a change of the public API. Transport internals (requestJson$, the framings) stay private.
export { streamChat$ } from './assembly/streamChat';
export type { ProviderId, ProviderOptionsById, ProviderOptionsOf } from './assembly/providerOptionsById';
export { createResponseAccumulator } from './responseAccumulator';
export type { ResponseAccumulator } from './responseAccumulator';
export { streamMany$ } from './assembly/streamMany';
export type { ManyRequest, ManyEvent, ManyMetrics, ProviderLimits, StreamManyConfig } from './assembly/streamMany';
export { exhaustedForMs, rateLimitHint } from './rateLimitHint';
export type { RateLimitHint } from './rateLimitHint';
export { registerProvider, getProvider, providerIds } from './assembly/registry';
export type { Provider, StreamDecoder, DecoderContext, ResolvedOptions, FeatureContext } from './provider';
export type { HttpRequest, ResponseInfo } from './transport/httpRequest';
export type { WireEvent } from './transport/sseFraming';
export { createOpenAICompatibleProvider } from '../providers/openai-compatible/createOpenAICompatibleProvider';
export type { OpenAICompatibleConfig } from '../providers/openai-compatible/createOpenAICompatibleProvider';
export * from './errors';
export * from './types';
export { StreamChatOptions } from './assembly/streamChatOptions';
export type { ChunkCheck } from './assembly/streamChatOptions';
export { CoordinatorOptions } from './assembly/coordinatorOptions';
export type { CodecIssue } from './codec/reportErrors';
// the operators are also reachable from the root entry, for `import { streamChat$, trackMetrics } from 'rxllm'`
export * from '../operators';
