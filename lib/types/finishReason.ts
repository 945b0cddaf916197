import * as t from 'io-ts';

/**
 * Why the model stopped, normalized across providers. The provider's own value is kept in
 * `chunk.metadata.rawFinishReason`.
 */
export const FinishReason = t.keyof({
  stop: null,
  length: null,
  tool_calls: null,
  content_filter: null,
  error: null,
  other: null,
});
export type FinishReason = t.TypeOf<typeof FinishReason>;
