export { createOpenAICompatibleProvider } from './createOpenAICompatibleProvider';
export type { OpenAICompatibleConfig } from './createOpenAICompatibleProvider';
export { createOpenAICompatibleDecoder } from './createOpenAICompatibleDecoder';
export { mapOpenAIFinishReason } from './mapOpenAIFinishReason';
export { convertOpenAIUsage } from './convertOpenAIUsage';
export { toOpenAIMessages } from './toOpenAIMessages';
export { OpenAIWireChunk } from './wireChunk';
