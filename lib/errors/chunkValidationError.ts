import type { Chunk } from '../types/chunk';
import { isErrorNamed, RxllmError } from './rxllmError';

/** A chunk failed the `validateChunk` check with `onInvalid: 'error'`. `partial` is the answer before it. */
export class ChunkValidationError extends RxllmError {
  override name = 'ChunkValidationError';
  readonly reason: string;
  readonly chunk: Chunk;

  constructor(init: { reason: string; chunk: Chunk }) {
    super(`Chunk ${init.chunk.seq} failed validation: ${init.reason}`, { provider: init.chunk.provider });
    this.reason = init.reason;
    this.chunk = init.chunk;
  }
}

export const isChunkValidationError = isErrorNamed<ChunkValidationError>('ChunkValidationError');
