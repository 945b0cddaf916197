import type { ChatMessage } from './types/chatMessage';
import type { ChatResponse } from './types/chatResponse';

/** What rxllm asks a model that cannot continue a prefilled answer (every API but Anthropic's). */
export const CONTINUE_INSTRUCTION =
  'Continue your previous answer exactly where it stopped. Do not repeat anything you already wrote and add no preamble.';

/**
 * The conversation that asks the model for the rest of a broken answer: the original messages, the
 * partial answer as an assistant turn, and — unless the API continues a prefilled assistant turn
 * (`'prefill'`, Anthropic) — an instruction to go on without repeating. A prefill loses its trailing
 * white space (Anthropic rejects it); the seam trimming of `recoverStream` drops it again if the
 * model repeats it.
 *
 * @example
 * continuationMessages(messages, partial, 'instruction');
 * // [...messages, { role: 'assistant', content: partial.content }, { role: 'user', content: CONTINUE_INSTRUCTION }]
 */
export function continuationMessages(messages: readonly ChatMessage[], partial: ChatResponse, style: 'prefill' | 'instruction'): ChatMessage[] {
  if (style === 'prefill') return [...messages, { role: 'assistant', content: partial.content.trimEnd() }];
  return [...messages, { role: 'assistant', content: partial.content }, { role: 'user', content: CONTINUE_INSTRUCTION }];
}
