/**
 * rxllm/core — the whole of rxllm but the provider registry: `streamChat$` takes a provider object
 * (`rxllm/providers/<id>`), so an app bundles only the providers it imports. For browser builds; the
 * root entry adds provider ids, `registerProvider` and `streamMany$`.
 *
 * @example
 * import { streamChat$, toResponse } from 'rxllm/core';
 * import { anthropic } from 'rxllm/providers/anthropic';
 * const answer = await lastValueFrom(streamChat$(anthropic, [{ role: 'user', content: 'Hi' }]).pipe(toResponse()));
 */
// The public names of this entry, listed in spec/packaging/publicNames.spec.ts; the root entry
// re-exports them all, with its own `streamChat$` (ids as well as objects).
export { streamChat$ } from './streamChatCore';
export { createResponseAccumulator } from '../responseAccumulator';
export { toAssistantMessage } from '../toAssistantMessage';
export { tool } from '../tool';
export type { ResponseAccumulator } from '../responseAccumulator';
export { exhaustedForMs, rateLimitHint } from '../rateLimitHint';
export type { RateLimitHint } from '../rateLimitHint';
export type { Provider, StreamDecoder, DecoderContext, ResolvedOptions, FeatureContext } from '../provider';
export type { HttpRequest, ResponseInfo } from '../transport/httpRequest';
export type { WireEvent } from '../transport/sseFraming';
export { createOpenAICompatibleProvider } from '../../providers/openai-compatible/createOpenAICompatibleProvider';
export type { OpenAICompatibleConfig } from '../../providers/openai-compatible/createOpenAICompatibleProvider';
export * from '../errors';
export * from '../types';
export { StreamChatOptions } from './streamChatOptions';
export type { ChunkCheck } from './streamChatOptions';
export { CoordinatorOptions } from './coordinatorOptions';
export type { CodecIssue } from '../codec/reportErrors';
export { jsonSchemaOf } from '../jsonSchemaOf';
export { costOf } from '../costOf';
export type { JsonSchema, SchemaMode } from '../jsonSchemaOf';
export * from '../../operators';
