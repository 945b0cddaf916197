import type { OpenAICompatibleExtrasMapper } from '../openai-compatible/openAICompatibleDecoderHooks';
import { convertPerplexityCitations } from './convertPerplexityCitations';
import type { PerplexityWireChunk } from './wireChunk';

/**
 * Per stream: puts the sources on the first chunk whose payload has any, and never again
 * (Perplexity repeats the same list in every payload). Later payloads cost one comparison.
 *
 * @example
 * createOpenAICompatibleProvider({ id: 'perplexity', …, decoder: { payload: PerplexityWireChunk, createExtrasMapper: createPerplexityCitationsMapper } });
 */
export function createPerplexityCitationsMapper(): OpenAICompatibleExtrasMapper<PerplexityWireChunk> {
  let sent = false;
  return (payload, chunk) => {
    if (sent) return false;
    const { citations, search_results: searchResults } = payload;
    if (!citations?.length && !searchResults?.length) return false;
    const converted = convertPerplexityCitations(citations, searchResults);
    if (converted.length === 0) return false;
    sent = true;
    chunk.citations = converted;
    return true;
  };
}
