// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: the provider and its
// options. The decoder, the request builder and the wire events stay internal (see docs/decisions.md).
export { openaiResponses } from './openaiResponses';
export { OpenAIResponsesOptions } from './openaiResponsesOptions';
