import type { Usage } from './types/usage';

const COUNTS: ReadonlyArray<keyof Usage> = ['inputTokens', 'outputTokens', 'totalTokens', 'reasoningTokens', 'cachedInputTokens'];

/**
 * Whether two usages say the same: every count equal (absent in both, or the same number). Gemini
 * repeats its usage on every event, and recovery, hops and tool steps build a new object for each
 * sum: what is computed from a usage need not be computed again for the same counts.
 *
 * @example
 * sameUsage({ inputTokens: 10 }, { inputTokens: 10 }); // true
 * sameUsage({ inputTokens: 10 }, { inputTokens: 10, outputTokens: 0 }); // false
 */
export function sameUsage(a: Usage | undefined, b: Usage | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return COUNTS.every((key) => a[key] === b[key]);
}
