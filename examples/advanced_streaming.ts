/**
 * Every coordinator option at once, through `streamChat$`'s options. streamChat$ applies them in a
 * fixed order: provider → validateChunk → transformChunk → trackMetrics → bufferChunks → onError,
 * with streamRecovery around the provider stream. Run it: `node examples/run.cjs advanced_streaming`.
 */
import { Subject, lastValueFrom, tap } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage, type ChatResponse, type StreamMetrics } from '../lib';
import { exampleServer, type ExampleOptions } from './support/exampleServer';

export const messages: ChatMessage[] = [{ role: 'user', content: 'What should a good streaming client measure?' }];

/** Streams one Anthropic answer with every option on; returns the answer, the UI updates and the last metrics. */
export async function main(options: ExampleOptions = {}): Promise<{ response: ChatResponse; updates: number; metrics: StreamMetrics[]; errors: unknown[] }> {
  const log = options.log ?? (() => {});
  const servers = exampleServer(options);
  const metrics: StreamMetrics[] = [];
  const errors: unknown[] = [];
  // a metrics side stream, e.g. for an Angular template's `| async`; onMetrics receives the same values
  const metrics$ = new Subject<StreamMetrics>();
  metrics$.subscribe((m) => metrics.push(m));
  let updates = 0;
  try {
    const chunks$ = streamChat$('anthropic', messages, {
      baseURL: await servers.baseURL('anthropic'),
      // a chunk with a NUL character is dropped (and counted in metrics.errors) instead of ending the stream
      validateChunk: { validate: (chunk) => !chunk.content?.includes('\u0000') || 'NUL character in text', onInvalid: 'drop' },
      // stamp each chunk; return null to drop one, never undefined (that is an error)
      transformChunk: (chunk) => ({ ...chunk, metadata: { ...chunk.metadata, receivedAt: Date.now() } }),
      // metrics every 100 ms, with a custom counter of the words seen so far
      trackMetrics: { intervalMs: 100, custom: { words: (chunk, n) => ((n as number | undefined) ?? 0) + (chunk.content?.match(/\S+/g)?.length ?? 0) } },
      onMetrics: (m) => m.status !== 'streaming' && log(`\n[metrics] ${m.status}: ${m.chunksReceived} chunks, ${m.tokensPerSecond.toFixed(1)} tok/s\n`),
      metrics$,
      // at most 30 UI updates a second: the chunks in between are coalesced, nothing is lost
      bufferChunks: { adaptive: { targetPerSecond: 30 } },
      // abort when the first chunk takes more than 10 s, the stream is silent 5 s, or the whole takes a minute
      timeout: { firstChunkMs: 10_000, idleMs: 5_000, totalMs: 60_000 },
      // called once with the typed error; the Observable still errors afterwards
      onError: (error) => errors.push(error),
      // a dropped connection continues where it stopped, instead of failing
      streamRecovery: true,
      recovery: { strategy: 'exact', maxRetries: 3, delay: 100 },
    });
    const response = await lastValueFrom(
      chunks$.pipe(
        tap((chunk) => {
          updates++;
          if (chunk.content) log(chunk.content);
        }),
        toResponse(),
      ),
    );
    return { response, updates, metrics, errors };
  } finally {
    metrics$.complete();
    await servers.close();
  }
}
