import type { Chunk } from '../lib/types/chunk';
import type { ToolCallDelta } from '../lib/types/toolCallDelta';
import type { Citation } from '../lib/types/citation';

/**
 * Merges a run of consecutive chunks into one: text and reasoning concatenated, tool-call
 * fragments and citations kept in order, the last finish reason kept, usage and metadata merged
 * (later values win; `validationDropped` counts add up), wire bytes summed. Nothing is lost:
 * `accumulate()` over the merged chunk gives what it gives over the run.
 */
export function coalesceChunks(run: readonly Chunk[], seq: number): Chunk {
  const first = run[0];
  if (run.length === 1) return first.seq === seq ? first : { ...first, seq };
  let content = '';
  let reasoning = '';
  let bytes = 0;
  let toolCalls: ToolCallDelta[] | undefined;
  let citations: Citation[] | undefined;
  let out: Chunk = { provider: first.provider, seq, bytes: 0 };
  for (const chunk of run) {
    bytes += chunk.bytes;
    if (chunk.id && out.id === undefined) out.id = chunk.id;
    // the last model named, as accumulate() keeps it (a fallback model takes over mid-answer)
    if (chunk.model) out.model = chunk.model;
    if (chunk.content) content += chunk.content;
    if (chunk.reasoning) reasoning += chunk.reasoning;
    if (chunk.toolCalls) (toolCalls ??= []).push(...chunk.toolCalls);
    if (chunk.citations) (citations ??= []).push(...chunk.citations);
    if (chunk.finishReason) out.finishReason = chunk.finishReason;
    if (chunk.usage) out.usage = out.usage ? { ...out.usage, ...chunk.usage } : chunk.usage;
    if (chunk.metadata) {
      const dropped = (out.metadata?.validationDropped as number | undefined) ?? 0;
      out.metadata = { ...out.metadata, ...chunk.metadata };
      if (typeof chunk.metadata.validationDropped === 'number') out.metadata.validationDropped = dropped + chunk.metadata.validationDropped;
    }
  }
  out.bytes = bytes;
  if (content) out.content = content;
  if (reasoning) out.reasoning = reasoning;
  if (toolCalls) out.toolCalls = toolCalls;
  if (citations) out.citations = citations;
  return out;
}
