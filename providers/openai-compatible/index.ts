/**
 * The OpenAI-compatible base: a provider for any server that speaks the Chat Completions stream
 * (vLLM, OpenRouter, …), and the decoder for a provider object of one's own.
 *
 * @example
 * import { createOpenAICompatibleProvider } from 'rxllm/providers/openai-compatible';
 * registerProvider(createOpenAICompatibleProvider({ id: 'vllm', baseURL: 'http://localhost:8000/v1' }));
 */
// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: what a user passes,
// reads or composes. The wire codecs, mappers and request builders stay internal (see docs/decisions.md).
export { createOpenAICompatibleProvider } from './createOpenAICompatibleProvider';
export type { OpenAICompatibleConfig } from './createOpenAICompatibleProvider';
export { createOpenAICompatibleDecoder } from './createOpenAICompatibleDecoder';
export type { OpenAICompatibleDecoderHooks, OpenAICompatibleExtrasMapper } from './openAICompatibleDecoderHooks';
export { OpenAIWireChunk } from './wireChunk';
