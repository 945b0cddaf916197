import { Readable } from 'node:stream';
import * as transport from '../../lib/transport/openResponse';
import type { ReplayResponse } from './replayServer';

/**
 * The replay server's counterpart without a socket: `respondWith` queues a response that the next
 * request of `streamChat$` gets in this process, the transport reading it as it reads an HTTP body
 * (each piece between two cuts a read of its own, in a later turn of the event loop). Everything
 * from the response on is the real pipeline: bytes → UTF-8 → SSE/NDJSON framing → decoder →
 * chunks, errors and `partial`. With nothing queued, a request goes over HTTP as usual, so a suite
 * can replay each recording once whole over HTTP and cut at many random offsets here, without the
 * replay server's pause between two writes.
 *
 * Installed with `beforeAll`/`afterAll` of the enclosing describe block (a spy on `openResponse`).
 */
export function inProcessReplay(): { respondWith(response: ReplayResponse): void } {
  const queue: ReplayResponse[] = [];
  let spy: jest.SpyInstance | undefined;
  beforeAll(() => {
    const overHttp = transport.openResponse;
    spy = jest.spyOn(transport, 'openResponse').mockImplementation((request, signal, secrets) => {
      const next = queue.shift();
      return next ? Promise.resolve(opened(next, signal)) : overHttp(request, signal, secrets);
    });
  });
  afterAll(() => spy?.mockRestore());
  return { respondWith: (response) => void queue.push(response) };
}

function opened(response: ReplayResponse, signal: AbortSignal): transport.OpenedResponse {
  const pieces: Buffer[] = [];
  let at = 0;
  for (const cut of [...(response.cuts ?? []), response.body.length]) {
    if (cut <= at) continue;
    pieces.push(response.body.subarray(at, cut));
    at = cut;
  }
  let next = 0;
  const body = new Readable({
    read() {
      // one piece per turn of the event loop, as separate socket reads arrive
      setImmediate(() => {
        if (body.destroyed) return;
        body.push(next < pieces.length ? pieces[next++] : null);
      });
    },
  });
  signal.addEventListener('abort', () => body.destroy(), { once: true });
  const headers: Record<string, string> = { 'content-type': response.contentType ?? 'text/event-stream', ...lowerCase(response.headers ?? {}) };
  return { status: response.status ?? 200, headers, body };
}

const lowerCase = (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
