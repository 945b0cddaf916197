import * as t from 'io-ts';
import { nullable } from '../../lib/codec/readable';

/**
 * One result of `POST /moderations`: `flagged`, and per category whether it is flagged
 * (`categories`, a value may be null for a category the model does not judge) and its score
 * (`category_scores`). Lenient: unknown fields (`category_applied_input_types`) are kept.
 */
export const OpenAIModerationResult = t.intersection([
  t.type({ flagged: t.boolean }),
  t.partial({
    categories: nullable(t.record(t.string, nullable(t.boolean))),
    category_scores: nullable(t.record(t.string, nullable(t.number))),
  }),
]);
export type OpenAIModerationResult = t.TypeOf<typeof OpenAIModerationResult>;

/** The body of a `POST /moderations` answer: `{ id, model, results: [one per input] }`. */
export const OpenAIModerationResponse = t.intersection([
  t.type({ results: t.array(OpenAIModerationResult) }),
  t.partial({ id: nullable(t.string), model: nullable(t.string) }),
]);
export type OpenAIModerationResponse = t.TypeOf<typeof OpenAIModerationResponse>;
