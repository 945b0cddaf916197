import type { FinishReason } from '../../lib/types/finishReason';

/**
 * A Gemini `finishReason` → `FinishReason`. Gemini ends a function-call turn with `STOP` (it has no
 * tool-specific reason), so `STOP` becomes `tool_calls` when the answer made a call. Unknown and
 * future values map to `other`; the raw value is kept in `metadata.rawFinishReason`.
 *
 * @example
 * mapGeminiFinishReason('MAX_TOKENS'); // 'length'
 * mapGeminiFinishReason('STOP', true); // 'tool_calls'
 */
export function mapGeminiFinishReason(raw: string, madeFunctionCall = false): FinishReason {
  switch (raw) {
    case 'STOP':
      return madeFunctionCall ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content_filter';
    case 'MALFORMED_FUNCTION_CALL':
    case 'UNEXPECTED_TOOL_CALL':
      return 'error';
    default:
      return 'other';
  }
}
