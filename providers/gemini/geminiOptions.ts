import * as t from 'io-ts';
import { isLeft } from '../../lib/codec/isLeft';
import { NonEmptyString } from '../../lib/codec/readable';

const ThinkingBudget = new t.Type<number, number, unknown>(
  'an integer ≥ -1 (-1: the model decides, 0: no thinking)',
  (u): u is number => typeof u === 'number' && Number.isInteger(u) && u >= -1,
  (u, c) => (typeof u === 'number' && Number.isInteger(u) && u >= -1 ? t.success(u) : t.failure(u, c)),
  t.identity,
);

/**
 * A `t.partial` that also refuses keys it does not know, so that a misspelt nested option
 * (`thinking: { budget: 1024 }`) fails with its path instead of being ignored.
 */
function closedPartial<P extends t.Props>(props: P, name: string) {
  const open = t.partial(props);
  const known = Object.keys(props);
  const unknownKey = new t.Type<never, never, unknown>(`one of ${known.join(', ')}`, (_): _ is never => false, t.failure, t.identity);
  const extraKeys = (u: object) => Object.keys(u).filter((key) => !known.includes(key));
  return new t.Type<t.TypeOf<typeof open>, t.OutputOf<typeof open>, unknown>(
    name,
    (u): u is t.TypeOf<typeof open> => open.is(u) && extraKeys(u as object).length === 0,
    (u, c) => {
      const result = open.validate(u, c);
      if (isLeft(result)) return result;
      const extra = extraKeys(u as object);
      if (extra.length === 0) return result;
      return t.failures(extra.map((key) => ({ value: (u as Record<string, unknown>)[key], context: [...c, { key, type: unknownKey, actual: u }] })));
    },
    open.encode,
  );
}

/** `thinking`: how much the model may think, and whether its thought summaries stream as `reasoning`. */
export const GeminiThinkingOptions = closedPartial(
  {
    /** `generationConfig.thinkingConfig.thinkingBudget`: a token budget, -1 for dynamic, 0 to turn thinking off (2.5 Flash) */
    budgetTokens: ThinkingBudget,
    /** `thinkingConfig.includeThoughts`: stream thought summaries (as `chunk.reasoning`) */
    includeThoughts: t.boolean,
  },
  '{ budgetTokens?, includeThoughts? }',
);
export type GeminiThinkingOptions = t.TypeOf<typeof GeminiThinkingOptions>;

/** One `safetySettings` entry, sent as given (Vertex also takes `method`). */
export const GeminiSafetySetting = t.type({ category: NonEmptyString, threshold: NonEmptyString });
export type GeminiSafetySetting = t.TypeOf<typeof GeminiSafetySetting>;

/**
 * The Gemini provider's own options, checked with the common ones by `streamChat$`.
 *
 * @example
 * streamChat$('gemini', messages, {
 *   thinking: { budgetTokens: 1024, includeThoughts: true },
 *   safetySettings: [{ category: 'HARM_CATEGORY_HARASSMENT', threshold: 'BLOCK_ONLY_HIGH' }],
 * });
 */
export const GeminiOptions = t.partial({
  thinking: GeminiThinkingOptions,
  safetySettings: t.array(GeminiSafetySetting),
});
export type GeminiOptions = t.TypeOf<typeof GeminiOptions>;
