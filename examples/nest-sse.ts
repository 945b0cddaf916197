/**
 * Re-streaming an answer to a browser as server-sent events, two ways: a NestJS controller method
 * (`toServerSentEvents()` in an `@Sse()` handler) and a plain Node `http` server (`pipeToResponse`).
 * Each chunk becomes one event (`id` = its seq, data = the chunk as JSON), then a `done` event — or
 * an `error` event with the error's public fields. Run it: `node examples/run.cjs nest-sse`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lastValueFrom, toArray, type Observable } from 'rxjs';
import { pipeToResponse, streamChat$, toServerSentEvents, type ServerSentEvent } from '../lib';
import { exampleServer, type ExampleOptions } from './support/exampleServer';

/** In a Nest app: `@Controller('chat')` on the class, and `@Sse()` on `chat` with `@Query('q') q: string`. */
export class ChatController {
  constructor(private readonly baseURL: string) {}

  // @Sse()
  chat(/* @Query('q') */ q: string): Observable<ServerSentEvent> {
    // Nest subscribes, writes each event, and unsubscribes (aborting the request) when the browser leaves
    return streamChat$('anthropic', [{ role: 'user', content: q }], { baseURL: this.baseURL }).pipe(toServerSentEvents());
  }
}

/** A plain Node server: GET /chat?q=… answers with an event stream; a closed tab cancels the upstream request. */
export function startChatServer(baseURL: string): Promise<Server> {
  const server = createServer((req, res) => {
    const q = new URL(req.url ?? '/', 'http://localhost').searchParams.get('q') ?? 'Hello';
    streamChat$('anthropic', [{ role: 'user', content: q }], { baseURL }).pipe(pipeToResponse(res)).subscribe();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export const question = 'How do I send a streamed answer on to a browser?';

/** Runs both: the controller's events, and the raw event-stream text the Node server writes. */
export async function main(options: ExampleOptions = {}): Promise<{ nestEvents: ServerSentEvent[]; sseText: string }> {
  const log = options.log ?? (() => {});
  const servers = exampleServer(options);
  const baseURL = await servers.baseURL('anthropic');
  const http = await startChatServer(baseURL);
  try {
    // what Nest would write: here we just collect the events
    const nestEvents = await lastValueFrom(new ChatController(baseURL).chat(question).pipe(toArray()));
    log(`Nest handler: ${nestEvents.length} events, the last one '${nestEvents.at(-1)?.type}'\n`);
    // what a browser's EventSource would read from the Node server
    const { port } = http.address() as AddressInfo;
    const sseText = await (await fetch(`http://127.0.0.1:${port}/chat?q=${encodeURIComponent(question)}`)).text();
    log(sseText.split('\n\n').slice(0, 2).join('\n\n') + '\n\n…\n' + sseText.trimEnd().split('\n\n').at(-1) + '\n');
    return { nestEvents, sseText };
  } finally {
    await new Promise((resolve) => http.close(resolve));
    await servers.close();
  }
}
