import type { FinishReason } from '../../lib/types/finishReason';

/**
 * Anthropic's `stop_reason` → `FinishReason`. The raw value is kept in `metadata.rawFinishReason`.
 *
 * @example
 * mapAnthropicStopReason('tool_use'); // 'tool_calls'
 */
export function mapAnthropicStopReason(raw: string): FinishReason {
  switch (raw) {
    case 'end_turn':
    case 'stop_sequence':
      return 'stop';
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return 'tool_calls';
    case 'refusal':
      return 'content_filter';
    case 'pause_turn':
      return 'other';
    default:
      return 'other';
  }
}
