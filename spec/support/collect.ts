import { Observable } from 'rxjs';
import type { Chunk } from '../../lib';

/** Subscribes and gathers every chunk, and the error if the stream failed. */
export function collect(stream$: Observable<Chunk>): Promise<{ chunks: Chunk[]; error?: unknown }> {
  return new Promise((resolve) => {
    const chunks: Chunk[] = [];
    stream$.subscribe({
      next: (c) => chunks.push(c),
      error: (error) => resolve({ chunks, error }),
      complete: () => resolve({ chunks }),
    });
  });
}
