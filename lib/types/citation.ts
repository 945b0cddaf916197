import * as t from 'io-ts';

/** A source the answer cites (Perplexity search results, Anthropic citations, OpenAI url annotations). */
export const Citation = t.intersection([
  t.type({ url: t.string }),
  t.partial({ title: t.string, snippet: t.string, date: t.string }),
]);
export type Citation = t.TypeOf<typeof Citation>;
