import * as t from 'io-ts';
import { NonEmptyString } from '../../lib/codec/readable';
import { ValidateQualityConfig } from './validateQuality';

/** The smallest thinking budget the API accepts. */
export const MIN_THINKING_BUDGET = 1024;

const isBudget = (u: unknown): u is number => typeof u === 'number' && Number.isInteger(u) && u >= MIN_THINKING_BUDGET;
const ThinkingBudget = new t.Type<number, number, unknown>(
  `an integer ≥ ${MIN_THINKING_BUDGET}`,
  isBudget,
  (u, c) => (isBudget(u) ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * The options of the Anthropic provider, checked with the common ones by `streamChat$`.
 *
 * - `thinking: { budgetTokens }` — extended thinking: sent as `thinking: { type: 'enabled',
 *   budget_tokens }`; the thinking streams as `reasoning`. The budget must be at least 1024 and
 *   below `maxTokens` (when `maxTokens` is not given, `max_tokens` is raised to leave room).
 * - `anthropicVersion` — the `anthropic-version` header (default `2023-06-01`).
 * - `annotateReasoning` — frames each thinking block with `metadata.annotation` markers (see the
 *   `annotateReasoning` operator).
 * - `validateQuality` — `true` or `{ onIssue, repetition: { ngram, threshold, window } | false }`:
 *   reports (or fails on) repetition loops, empty answers and `max_tokens` cuts (see the
 *   `validateQuality` operator).
 *
 * @example
 * streamChat$('anthropic', messages, { thinking: { budgetTokens: 2048 }, maxTokens: 8192, annotateReasoning: true });
 */
export const AnthropicOptions = t.partial({
  thinking: t.type({ budgetTokens: ThinkingBudget }),
  anthropicVersion: NonEmptyString,
  annotateReasoning: t.boolean,
  validateQuality: t.union([t.boolean, ValidateQualityConfig]),
});
export type AnthropicOptions = t.TypeOf<typeof AnthropicOptions>;
