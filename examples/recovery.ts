/**
 * Stream recovery: the connection drops in the middle of the answer, and the stream goes on as if
 * nothing happened. The mock server's fault queue cuts the first response after 6,000 bytes
 * (mid-way through the second sentence); the second request, a continuation of what was
 * delivered, is answered cleanly.
 * Run it: `node examples/run.cjs recovery`.
 */
import { lastValueFrom, tap } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage, type ChatResponse, type StreamMetrics } from '../lib';
import { mockBaseURL, startMockServer, type MockServer } from '../testing';

export const messages: ChatMessage[] = [{ role: 'user', content: 'Tell me why streams break and how to continue them.' }];

/** Where to print, and the mock server to use (default: one started here); its fault queue must be free. */
export interface RecoveryOptions {
  server?: MockServer;
  log?: (line: string) => void;
}

/** Streams one OpenAI answer through a dropped connection; returns the answer and the final metrics. */
export async function main(options: RecoveryOptions = {}): Promise<{ response: ChatResponse; metrics: StreamMetrics; requests: number }> {
  const log = options.log ?? (() => {});
  const server = options.server ?? (await startMockServer({ chunkDelayMs: 5 }));
  const before = server.requests.length;
  // the next request is cut after 6,000 body bytes (a TCP close mid-stream); the one after is clean
  server.queueFaults({ kind: 'reset', afterBytes: 6000 }, null);
  let metrics: StreamMetrics | undefined;
  try {
    const response = await lastValueFrom(
      streamChat$('openai', messages, {
        baseURL: mockBaseURL(server, 'openai'),
        headers: { 'x-mock-sentences': '6' }, // the mock model writes six sentences
        streamRecovery: true,
        // 'sentence': text goes out a whole sentence at a time, so after a failure the continuation
        // starts at a sentence boundary; nothing delivered is lost or repeated
        recovery: { strategy: 'sentence', maxRetries: 3, delay: 50 },
        onMetrics: (m) => (metrics = m),
      }).pipe(
        tap((chunk) => {
          // the first chunk of a continuation says so
          if (chunk.metadata?.recovery !== undefined) log(`\n[recovered: continuation #${chunk.metadata.recovery}]\n`);
          if (chunk.content) log(chunk.content);
        }),
        toResponse(),
      ),
    );
    log(`\n[${metrics?.status}] retries ${metrics?.retries}, recoveries ${metrics?.recoveries}\n`);
    return { response, metrics: metrics!, requests: server.requests.length - before };
  } finally {
    if (!options.server) await server.close();
  }
}
