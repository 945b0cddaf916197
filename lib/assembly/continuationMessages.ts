import type { ChatMessage } from '../types/chatMessage';
import type { ChatResponse } from '../types/chatResponse';

/** What rxllm asks a model to do after the partial answer of a broken stream. */
export const CONTINUE_INSTRUCTION =
  'Continue your previous answer exactly where it stopped. Do not repeat anything you already wrote and add no preamble.';

/** How a broken answer is continued: an instruction turn after it (every API), or the answer as the final assistant turn (a prefill). */
export type ContinuationForm = 'instruction' | 'prefill';

/** The conversation of a continuation request, and the white space it trimmed from the partial answer. */
export interface ContinuationMessages {
  messages: ChatMessage[];
  /** the trailing white space a prefill lost (the APIs refuse a final assistant turn that ends in it); '' otherwise */
  trimmed: string;
}

/**
 * The conversation that asks the model for the rest of a broken answer: the original messages and
 * the partial answer as an assistant turn, then
 * - `instruction`: a user turn asking to go on without repeating — accepted by every API, and the
 *   only form Claude 4.6 and later accept (they refuse a conversation that ends with an assistant turn);
 * - `prefill`: nothing more — the model continues the assistant turn itself (Anthropic up to Claude
 *   4.5). Its trailing white space is removed, as the API requires, and reported in `trimmed`.
 *
 * @example
 * continuationMessages(messages, partial, 'instruction').messages;
 * // [...messages, { role: 'assistant', content: partial.content }, { role: 'user', content: CONTINUE_INSTRUCTION }]
 */
export function continuationMessages(messages: readonly ChatMessage[], partial: ChatResponse, form: ContinuationForm): ContinuationMessages {
  if (form === 'prefill') {
    const kept = partial.content.trimEnd();
    return { messages: [...messages, { role: 'assistant', content: kept }], trimmed: partial.content.slice(kept.length) };
  }
  return {
    messages: [...messages, { role: 'assistant', content: partial.content }, { role: 'user', content: CONTINUE_INSTRUCTION }],
    trimmed: '',
  };
}
