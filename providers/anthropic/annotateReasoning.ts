import type { MonoTypeOperatorFunction } from 'rxjs';
import { chunkOperator } from '../../lib/chunkOperator';
import type { Chunk } from '../../lib/types/chunk';

/** The values of `metadata.annotation` that `annotateReasoning` sets. */
export type ReasoningAnnotation = 'reasoning-start' | 'reasoning' | 'reasoning-end';

/**
 * Frames each block of extended thinking, so that a UI can fold the chain of thought. Reasoning
 * deltas stay in `reasoning` and are marked `metadata.annotation = 'reasoning'`; before the first
 * delta of a block comes a chunk marked `'reasoning-start'`, and after its last one a chunk marked
 * `'reasoning-end'` that carries the block's signature in `metadata.thinkingSignature` (when the
 * API sent one). All three carry `metadata.reasoningBlock`, the block's number (0, 1, …).
 *
 * A block ends when text, a tool call or the finish reason follows it, when a new block begins (a
 * signature is the last delta of a block, so reasoning after one opens the next), or when the
 * stream completes. A block with a signature and no text (thinking `display: 'omitted'`) is framed
 * too. Markers are synthetic chunks (`bytes: 0`, no content); every other chunk passes unchanged
 * but for `seq`, which is numbered again so that it stays contiguous. An error ends the stream as
 * it comes, without an end marker.
 *
 * ```
 * chunks:   --r1--r2--s--t--f--|        (r: reasoning, s: signature, t: text, f: finish)
 * annotateReasoning()
 * chunks:   --(Sr1)--r2--s--(Et)--f--|  (S: 'reasoning-start', E: 'reasoning-end' with s's signature)
 * ```
 *
 * @example
 * streamChat$(anthropic, messages, { thinking: { budgetTokens: 2048 }, annotateReasoning: true })
 *   .subscribe((chunk) => {
 *     if (chunk.metadata?.annotation === 'reasoning-start') ui.openThoughts();
 *     if (chunk.reasoning) ui.appendThought(chunk.reasoning);
 *     if (chunk.metadata?.annotation === 'reasoning-end') ui.foldThoughts();
 *     if (chunk.content) ui.appendText(chunk.content);
 *   });
 * // or by hand, on any stream of chunks with reasoning
 * chunks$.pipe(annotateReasoning());
 *
 * @see validateQuality
 */
export function annotateReasoning(): MonoTypeOperatorFunction<Chunk> {
  return chunkOperator(
    (out) => {
      let open = false;
      let block = -1;
      let signature: string | undefined;

      const marker = (annotation: 'reasoning-start' | 'reasoning-end'): void => {
        const metadata: Record<string, unknown> = { annotation, reasoningBlock: block };
        if (annotation === 'reasoning-end' && signature !== undefined) metadata.thinkingSignature = signature;
        out.next(out.synthetic({ metadata }));
      };
      const start = () => {
        open = true;
        block++;
        signature = undefined;
        marker('reasoning-start');
      };
      const end = () => {
        open = false;
        marker('reasoning-end');
      };

      return {
        step(chunk) {
          const thinking = !!chunk.reasoning;
          const signed = typeof chunk.metadata?.thinkingSignature === 'string' ? chunk.metadata.thinkingSignature : undefined;
          if (!thinking && signed === undefined) {
            if (open && endsReasoning(chunk)) end();
            out.next(chunk);
            return;
          }
          // a signature closes its block: reasoning (or a signature) after it belongs to the next one
          if (open && signature !== undefined) end();
          if (!open) start();
          if (signed !== undefined) signature = signed;
          if (thinking) out.next({ ...chunk, metadata: { ...chunk.metadata, annotation: 'reasoning', reasoningBlock: block } });
          else out.next(chunk);
          // a coalesced chunk that also carries text, a tool call or the finish ends the block after it
          if (endsReasoning(chunk)) end();
        },
        // at completion only: an error ends the stream as it comes, without an end marker
        end() {
          if (open) end();
          out.complete();
        },
      };
    },
    { provider: 'anthropic' },
  );
}

/** Whether a chunk is past the reasoning: it carries text, a tool call or the finish reason. */
function endsReasoning(chunk: Chunk): boolean {
  return !!chunk.content || (chunk.toolCalls !== undefined && chunk.toolCalls.length > 0) || chunk.finishReason !== undefined;
}
