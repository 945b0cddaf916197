import type { Usage } from './types/usage';

/**
 * The usage of the requests after `before`: each count of `total` less the same count of `before`
 * (a count `before` lacks counts as 0). The inverse of `addUsage`, for a stream whose usage is
 * summed as it goes (a tool run's steps): the usage of one step is its total less the total before it.
 *
 * @example
 * subtractUsage({ inputTokens: 22, outputTokens: 12 }, { inputTokens: 10, outputTokens: 5 }); // { inputTokens: 12, outputTokens: 7 }
 */
export function subtractUsage(total: Usage, before: Usage | undefined): Usage {
  if (!before) return total;
  const rest: Usage = {};
  for (const key of Object.keys(total) as Array<keyof Usage>) {
    const count = total[key];
    if (count !== undefined) rest[key] = Math.max(0, count - (before[key] ?? 0));
  }
  return rest;
}
