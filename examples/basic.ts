/**
 * The basics: stream one answer from one provider, print the text as it arrives, and get the whole
 * answer at the end. Run it: `node examples/run.cjs basic` (an embedded mock server answers).
 * In your app, import from 'rxllm' instead of '../lib'.
 */
import { lastValueFrom, tap } from 'rxjs';
import { streamChat$, toResponse, type ChatMessage, type ChatResponse } from '../lib';
import { exampleServer, type ExampleOptions } from './support/exampleServer';

export const messages: ChatMessage[] = [{ role: 'user', content: 'Explain in a few sentences why streaming matters for chat UIs.' }];

/** Streams one answer from OpenAI (or whatever `baseURL` points at) and returns it whole. */
export async function main(options: ExampleOptions = {}): Promise<{ printed: string; response: ChatResponse }> {
  const log = options.log ?? (() => {});
  const servers = exampleServer(options);
  try {
    let printed = '';
    // streamChat$ is cold: nothing is sent until something subscribes, and each subscription is a request.
    const answer = streamChat$('openai', messages, { baseURL: await servers.baseURL('openai'), model: 'gpt-4o-mini' }).pipe(
      // every chunk has the same flat shape on every provider: print its text delta, if any
      tap((chunk) => {
        if (chunk.content) {
          printed += chunk.content;
          log(chunk.content);
        }
      }),
      // toResponse folds the chunks into one ChatResponse, emitted when the stream completes
      toResponse(),
    );
    const response = await lastValueFrom(answer);
    log(`\n[${response.finishReason}] ${response.usage?.outputTokens ?? '?'} output tokens\n`);
    return { printed, response };
  } finally {
    await servers.close();
  }
}
