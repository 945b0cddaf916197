// The public names of this entry, listed in spec/packaging/publicNames.spec.ts: the two providers
// (Chat Completions, the Responses API) and their options. The path and header builders stay internal.
export { azure } from './azure';
export { azureResponses, AzureResponsesOptions } from './azureResponses';
export { AzureOptions, AzureTokenProvider } from './azureOptions';
