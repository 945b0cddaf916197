/**
 * The coordinator's operators composed by hand with `pipe`: your order, your operators in between.
 * Here: check each chunk, drop the empty ones, measure, coalesce, and keep a running
 * answer for a UI. Run it: `node examples/run.cjs streaming_coordinator_showcase`.
 */
import { lastValueFrom, tap } from 'rxjs';
import {
  accumulate,
  bufferChunks,
  streamChat$,
  trackMetrics,
  transformChunk,
  validateChunk,
  type ChatMessage,
  type ChatResponse,
  type StreamMetrics,
} from '../lib';
import { exampleServer, type ExampleOptions } from './support/exampleServer';

export const messages: ChatMessage[] = [{ role: 'user', content: 'Why do Observables fit streamed answers?' }];

/** Streams one Gemini answer through hand-composed operators; returns every running answer and the last metrics. */
export async function main(options: ExampleOptions = {}): Promise<{ snapshots: ChatResponse[]; metrics: StreamMetrics }> {
  const log = options.log ?? (() => {});
  const servers = exampleServer(options);
  let metrics: StreamMetrics | undefined;
  const snapshots: ChatResponse[] = [];
  try {
    const answer$ = streamChat$('gemini', messages, { baseURL: await servers.baseURL('gemini') }).pipe(
      // 1. what the provider sent must name a provider; a reason string ends the stream with ChunkValidationError
      validateChunk((chunk) => chunk.provider === 'gemini' || `unexpected provider ${chunk.provider}`),
      // 2. drop chunks that carry nothing at all (the rest are renumbered without gaps)
      transformChunk((chunk) =>
        chunk.content || chunk.reasoning || chunk.toolCalls || chunk.finishReason || chunk.usage ? chunk : null,
      ),
      // 3. measure what passed: one value on the first chunk, every 250 ms, and a final one
      trackMetrics({ intervalMs: 250, onMetrics: (m) => (metrics = m) }),
      // 4. coalesce runs of chunks: 5 at a time, or whatever came within 20 ms
      bufferChunks({ size: 5, maxWaitMs: 20 }),
      // 5. a running answer: each value is the whole answer so far, ready to render
      accumulate(),
      tap((snapshot) => log(`\r${snapshot.content.length} characters so far`)),
    );
    // the last value of accumulate() is the complete answer
    const last = await lastValueFrom(answer$.pipe(tap((snapshot) => snapshots.push(snapshot))));
    log(`\n${last.content}\n[${metrics?.status}] ${metrics?.chunksReceived} chunks, first after ${metrics?.timeToFirstChunkMs} ms\n`);
    return { snapshots, metrics: metrics! };
  } finally {
    await servers.close();
  }
}
