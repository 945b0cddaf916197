/**
 * The Google Gemini provider and its helpers.
 *
 * @example
 * import { gemini } from 'rxllm/providers/gemini';
 * streamChat$(gemini, [{ role: 'user', content: 'Hi' }]).subscribe(console.log);
 */
export { gemini } from './gemini';
export { buildGeminiRequest } from './buildGeminiRequest';
export { continueGeminiFrom } from './continueGeminiFrom';
export { createGeminiDecoder } from './createGeminiDecoder';
export { toGeminiContents } from './toGeminiContents';
export type { GeminiContent } from './toGeminiContents';
export { mapGeminiFinishReason } from './mapGeminiFinishReason';
export { convertGeminiUsage } from './convertGeminiUsage';
export { generateGeminiToolCallId, isGeneratedGeminiToolCallId } from './geminiToolCallId';
export { GeminiPartialArgs, parseJsonPath } from './geminiPartialArgs';
export { GeminiOptions, GeminiThinkingOptions, GeminiSafetySetting } from './geminiOptions';
export { GeminiWireResponse, GeminiWireCandidate, GeminiWirePart, GeminiWireFunctionCall, GeminiWireUsage } from './wireResponse';
