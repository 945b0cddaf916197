import { describeWhitespaceRecovery, whitespaceBreaksOf } from '../support/whitespaceRecovery';
import { afterWhiteSpace, WHITESPACE_ANSWERS } from '../support/whitespaceAnswers';

// the 'exact' strategy; the others are in recoveryWhitespace*.spec.ts beside this file
describeWhitespaceRecovery('exact');

test('without RXLLM_HEAVY the three strategies take disjoint thirds of the breaks that together are every break; with it each takes every break', () => {
  const points = Object.values(WHITESPACE_ANSWERS).flatMap((answer) => afterWhiteSpace(answer).map((at) => ({ answer, at })));
  const light = (['exact', 'sentence', 'paragraph'] as const).map((strategy) => whitespaceBreaksOf(strategy, points, false));
  const taken = light.flat();
  expect(taken).toHaveLength(points.length);
  expect(new Set(taken).size).toBe(points.length);
  for (const part of light) expect(part.length).toBeGreaterThanOrEqual(Math.floor(points.length / 3));
  for (const strategy of ['exact', 'sentence', 'paragraph'] as const) expect(whitespaceBreaksOf(strategy, points, true)).toEqual(points);
});
