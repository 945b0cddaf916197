import * as t from 'io-ts';
import { NonNegativeNumber } from '../codec/readable';

/**
 * Token counts as the provider reported them, normalized. Every field is optional: a provider
 * reports what it knows, and rxllm never invents a count here (estimates live in metrics).
 */
export interface Usage {
  /** the prompt's tokens, cached ones and the server's own tool runs included */
  inputTokens?: number;
  /** the answer's tokens, reasoning included */
  outputTokens?: number;
  /** as the provider reports it */
  totalTokens?: number;
  /** of the output tokens, those spent thinking */
  reasoningTokens?: number;
  /** of the input tokens, those read from the provider's cache */
  cachedInputTokens?: number;
}

/** The codec of `Usage` (checked against the interface: the two cannot drift apart). */
export const Usage: t.Type<Usage> = t.partial({
  inputTokens: NonNegativeNumber,
  outputTokens: NonNegativeNumber,
  totalTokens: NonNegativeNumber,
  reasoningTokens: NonNegativeNumber,
  cachedInputTokens: NonNegativeNumber,
});
