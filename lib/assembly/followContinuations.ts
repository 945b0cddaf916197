import { concat, defer, EMPTY, map, type Observable } from 'rxjs';
import { StreamInterruptedError } from '../errors/streamInterruptedError';
import type { Chunk } from '../types/chunk';
import type { Usage } from '../types/usage';
import { addUsage } from '../addUsage';

/**
 * One answer from a stream that the API splits into hops: when a hop ends without a finish reason
 * but with a continuation token (Gemini's `finishReason: "CONTINUATION"` and `continuationToken`,
 * which its decoder puts in `metadata.continuationToken`), `next(token)` sends the same request with
 * that token, and its chunks follow — until a hop ends with a finish reason. Downstream sees one
 * stream: `seq` contiguous, the usage on each chunk the sum over the hops so far (within a hop it
 * is the API's running total for the hop), and `metadata.hop = n` on the first chunk of hop n ≥ 1
 * (`trackMetrics` counts them). A hop that ends with the token it started from made no progress:
 * `StreamInterruptedError`, instead of asking again forever.
 *
 * ```
 * hop 0:   --a--b--(c|)         (c: continuationToken t1, no finish reason)
 * hop 1:            --d--(e|)   (next(t1); e: finishReason 'stop')
 * result:  --a--b--c--d--(e|)
 * ```
 *
 * @example
 * followContinuations(streamChunks$(gemini, request, settings), (token) => streamChunks$(gemini, gemini.continueFrom!(request, token), settings));
 */
export function followContinuations(first$: Observable<Chunk>, next: (token: string) => Observable<Chunk>): Observable<Chunk> {
  return defer(() => {
    let seq = 0;
    let usageBefore: Usage | undefined;

    const hop = (chunks$: Observable<Chunk>, n: number, startedFrom: string | undefined): Observable<Chunk> =>
      defer(() => {
        let token: string | undefined;
        let finished = false;
        let hopUsage: Usage | undefined;
        let marked = n === 0;
        let provider: string | undefined;
        return concat(
          chunks$.pipe(
            map((chunk) => {
              chunk.seq = seq++;
              provider ??= chunk.provider;
              const meta = chunk.metadata;
              if (typeof meta?.continuationToken === 'string') token = meta.continuationToken;
              if (chunk.finishReason !== undefined) finished = true;
              if (chunk.usage) {
                hopUsage = chunk.usage;
                if (n > 0) chunk.usage = addUsage(usageBefore, chunk.usage);
              }
              if (!marked) {
                chunk.metadata = { ...meta, hop: n };
                marked = true;
              }
              return chunk;
            }),
          ),
          defer(() => {
            if (finished || token === undefined) return EMPTY;
            if (token === startedFrom) {
              throw new StreamInterruptedError(`${provider ?? 'stream'}: hop ${n} ended with the continuation token it started from (no progress)`, {
                provider,
                retryable: true,
              });
            }
            usageBefore = addUsage(usageBefore, hopUsage);
            return hop(next(token), n + 1, token);
          }),
        );
      });

    return hop(first$, 0, undefined);
  });
}
