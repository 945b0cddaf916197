import type { NoObjectReason } from '../lib/errors/noObjectError';
import type { Chunk } from '../lib/types/chunk';

/**
 * How a structured answer ended, folded from its chunks (for `partialObjects` and `toObject`): the
 * finish reason, the provider's own, and the refusal text when the model refused in words (chunks
 * marked `metadata.refusal`).
 */
export class AnswerEnd {
  provider: string | undefined;
  finishReason: string | undefined;
  rawFinishReason: string | undefined;
  /** the refusal's text, by parts; undefined while no chunk was marked a refusal */
  refusal: string[] | undefined;

  /** Reads a chunk; true when it is part of a refusal (its content is not the answer's). */
  add(chunk: Chunk): boolean {
    this.provider ??= chunk.provider;
    if (chunk.finishReason) this.finishReason = chunk.finishReason;
    const metadata = chunk.metadata;
    if (metadata) {
      if (typeof metadata.rawFinishReason === 'string') this.rawFinishReason = metadata.rawFinishReason;
      if (metadata.refusal === true) {
        (this.refusal ??= []).push(chunk.content ?? '');
        return true;
      }
    }
    return false;
  }

  /** Why there is no object, when the end says so: a refusal, a cut at the token limit, a content filter. */
  reason(): NoObjectReason | undefined {
    if (this.refusal || this.rawFinishReason === 'refusal') return 'refusal';
    if (this.finishReason === 'length') return 'length';
    if (this.finishReason === 'content_filter') return 'content-filter';
    return undefined;
  }
}
