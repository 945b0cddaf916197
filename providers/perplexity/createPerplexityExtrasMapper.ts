import type { OpenAICompatibleExtrasMapper } from '../openai-compatible/openAICompatibleDecoderHooks';
import { convertPerplexityReasoningSteps } from './convertPerplexityReasoningSteps';
import { createPerplexityCitationsMapper } from './perplexityCitationsMapper';
import type { PerplexityWireChunk } from './wireChunk';

/**
 * Per stream: Perplexity's own payload fields onto the chunk — the sources once (see
 * `createPerplexityCitationsMapper`), and the reasoning steps of `stream_mode: "concise"`
 * (`chat.reasoning` payloads): their thoughts, one per line, → `reasoning`, the steps as sent (with
 * their search keywords and results) → `metadata.reasoningSteps`. A payload without steps costs
 * one property read more.
 *
 * @example
 * createOpenAICompatibleProvider({ id: 'perplexity', …, decoder: { payload: PerplexityWireChunk, createExtrasMapper: createPerplexityExtrasMapper } });
 */
export function createPerplexityExtrasMapper(): OpenAICompatibleExtrasMapper<PerplexityWireChunk> {
  const mapCitations = createPerplexityCitationsMapper();
  return (payload, chunk) => {
    let added = mapCitations(payload, chunk);
    const steps = payload.choices?.[0]?.delta?.reasoning_steps;
    if (steps !== undefined && steps !== null) {
      const thoughts = convertPerplexityReasoningSteps(steps);
      if (thoughts) chunk.reasoning = (chunk.reasoning ?? '') + thoughts;
      if (Array.isArray(steps) && steps.length > 0) (chunk.metadata ??= {}).reasoningSteps = steps;
      if (thoughts || (Array.isArray(steps) && steps.length > 0)) added = true;
    }
    return added;
  };
}
