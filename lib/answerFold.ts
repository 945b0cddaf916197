import { createResponseAccumulator } from './responseAccumulator';
import type { ChatResponse } from './types/chatResponse';
import type { Chunk } from './types/chunk';

/**
 * The answer of one subscription, folded once and read by every stage that needs it — recovery's
 * continuation, `validateChunk`'s `partial`, the `partial` every error of `streamChat$` carries —
 * instead of a fold per stage. The stage that sends the chunks on (`recoverStream`, else a tap
 * after the provider's own features) adds each chunk just before it sends it, so a stage below it
 * that is handling a chunk reads the answer without it (`before`), and one that sees an error reads
 * it all (`snapshot`). A stage that changes the answer (a transform that returns another chunk or
 * drops one) forks it (`fork`, the answer before the chunk it is handling) and puts its fork in
 * `SharedAnswer.fold` for the stages below it, feeding the fork from there on.
 */
export interface AnswerFold {
  /** The next chunk sent on (the one the stages below are about to handle). */
  add(chunk: Chunk): void;
  /** The answer so far, every chunk added included. */
  snapshot(): ChatResponse;
  /** The answer before `chunk`, the chunk a stage below is handling (the last one added). */
  before(chunk: Chunk): ChatResponse;
  /** A fold of its own that starts from the answer before `chunk` (see `before`). */
  fork(chunk: Chunk): AnswerFold;
}

/** Where the stages of one subscription find the answer: the fold the last stage that changed it fed. */
export interface SharedAnswer {
  fold: AnswerFold;
}

export function createAnswerFold(from?: ChatResponse): AnswerFold {
  const accumulator = createResponseAccumulator(from);
  // the chunk added last is folded only when the next one comes or the answer is read: until
  // then `before` is the accumulator as it is, with no undo
  let pending: Chunk | undefined;
  const settle = () => {
    if (pending !== undefined) {
      accumulator.add(pending);
      pending = undefined;
    }
  };
  return {
    add(chunk) {
      if (pending !== undefined) accumulator.add(pending);
      pending = chunk;
    },
    snapshot() {
      settle();
      return accumulator.snapshot();
    },
    before(chunk) {
      if (pending !== chunk) settle();
      return accumulator.snapshot();
    },
    fork(chunk) {
      return createAnswerFold(this.before(chunk));
    },
  };
}
