/**
 * Many chats at once: `streamMany$` runs a batch over three providers with a global concurrency
 * limit and per-provider limits, tags every chunk with its request id, and reports combined metrics.
 * A chat that fails emits `{ requestId, error }` and the others go on.
 * Run it: `node examples/run.cjs multiplexing`.
 */
import { lastValueFrom, tap } from 'rxjs';
import { streamMany$, type ManyMetrics, type ManyRequest } from '../lib';
import { exampleServer, type ExampleOptions } from './support/exampleServer';

const QUESTIONS = ['Why stream answers?', 'What is time to first token?', 'How do you cancel a stream?', 'What breaks a stream?', 'Why buffer chunks?', 'What are tool calls?'];
export const PROVIDERS = ['openai', 'anthropic', 'ollama'] as const;

/** Six questions over three providers; returns each answer's text by request id, and the last combined metrics. */
export async function main(options: ExampleOptions = {}): Promise<{ requests: ManyRequest[]; texts: Record<string, string>; errors: Record<string, unknown>; metrics: ManyMetrics }> {
  const log = options.log ?? (() => {});
  const servers = exampleServer(options);
  const texts: Record<string, string> = {};
  const errors: Record<string, unknown> = {};
  let metrics: ManyMetrics | undefined;
  try {
    const requests: ManyRequest[] = [];
    for (const [i, question] of QUESTIONS.entries()) {
      const provider = PROVIDERS[i % PROVIDERS.length];
      requests.push({ id: `q${i}`, provider, messages: [{ role: 'user', content: question }], options: { baseURL: await servers.baseURL(provider) } });
    }
    await lastValueFrom(
      streamMany$(requests, {
        concurrency: 4, // at most four chats at once…
        perProvider: {
          openai: { maxConcurrent: 1 }, // …at most one of them OpenAI…
          anthropic: { maxConcurrent: 2, requestsPerMinute: 50 }, // …and Anthropic started at most 50 times a minute
        },
        onMetrics: (m) => (metrics = m),
      }).pipe(
        tap((event) => {
          if ('error' in event) errors[event.requestId] = event.error;
          else if (event.chunk.content) texts[event.requestId] = (texts[event.requestId] ?? '') + event.chunk.content;
        }),
      ),
      { defaultValue: undefined },
    );
    for (const r of requests) log(`${r.id} (${r.provider}): ${texts[r.id]?.slice(0, 60)}…\n`);
    log(`${metrics?.completed} completed, ${metrics?.failed} failed, ${metrics?.chunksReceived} chunks, ${metrics?.outputTokens} output tokens\n`);
    return { requests, texts, errors, metrics: metrics! };
  } finally {
    await servers.close();
  }
}
