import type { FinishReason } from '../lib/types/finishReason';

/** rxllm's finish reasons as the conventions' output-message `finish_reason` values. */
const CONVENTION: Readonly<Record<FinishReason, string | undefined>> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool_call',
  content_filter: 'content_filter',
  error: 'error',
  other: undefined,
};

/**
 * The `gen_ai.response.finish_reasons` entry of an answer: the conventions' value for rxllm's
 * `finishReason` (`tool_calls` → `tool_call`), and for `other` the provider's own word
 * (`metadata.rawFinishReason`, e.g. Gemini's `RECITATION`), else `other`.
 *
 * @example
 * genAiFinishReason('tool_calls'); // 'tool_call'
 * genAiFinishReason('other', 'RECITATION'); // 'RECITATION'
 */
export function genAiFinishReason(reason: FinishReason, raw?: unknown): string {
  return CONVENTION[reason] ?? (typeof raw === 'string' && raw !== '' ? raw : reason);
}
