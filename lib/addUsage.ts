import type { Usage } from './types/usage';

/**
 * The usage of two requests together: every count summed (a count one of them lacks counts as 0).
 *
 * @example
 * addUsage({ inputTokens: 10, outputTokens: 5 }, { inputTokens: 12, outputTokens: 7 }); // { inputTokens: 22, outputTokens: 12 }
 */
export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  const sum: Usage = { ...a };
  for (const key of Object.keys(b) as Array<keyof Usage>) sum[key] = (a[key] ?? 0) + (b[key] ?? 0);
  return sum;
}
