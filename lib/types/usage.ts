import * as t from 'io-ts';
import { NonNegativeNumber } from '../codec/readable';

/**
 * Token counts as the provider reported them, normalized. Every field is optional: a provider
 * reports what it knows, and rxllm never invents a count here (estimates live in metrics).
 */
export const Usage = t.partial({
  inputTokens: NonNegativeNumber,
  outputTokens: NonNegativeNumber,
  totalTokens: NonNegativeNumber,
  reasoningTokens: NonNegativeNumber,
  cachedInputTokens: NonNegativeNumber,
});
export type Usage = t.TypeOf<typeof Usage>;
