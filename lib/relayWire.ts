/**
 * The wire between rxllm's relay (`createChatRelay`, on a server) and the `'rxllm'` provider (in the
 * page), as docs/browser.md describes it for other clients:
 *
 * - the request: `POST {url}` with a JSON body `{ messages, options }` (`RelayRequestBody`);
 * - the answer: `text/event-stream` — first `event: stream` with `{ id, resumable }`, then one event
 *   per chunk (`id:` its `seq`, `data:` the chunk as JSON), then `event: done` (`{ finishReason }`) or
 *   `event: error` (the error's public fields: `name`, `message`, `retryable`, `status`);
 * - a failure before the stream starts: the HTTP status (400 for a request the relay refuses, the
 *   provider's own status for its refusal, 502 otherwise) and `{ error: { name, message, … } }`;
 * - a reconnect to a resumable stream: the same `POST` with `last-event-id: <seq>` and
 *   `x-rxllm-stream: <id>`: the chunks after that `seq`; `DELETE {url}` with `x-rxllm-stream`
 *   cancels the stream on the server.
 */
export const RELAY_STREAM_HEADER = 'x-rxllm-stream';
export const LAST_EVENT_ID_HEADER = 'last-event-id';

/** The first event of a relayed stream: its id, and whether a dropped connection can pick it up again. */
export const RELAY_START_EVENT = 'stream';
export interface RelayStart {
  id: string;
  resumable: boolean;
}

/** The body of a relay request: the conversation and the options the page asks for (the server decides which it takes). */
export interface RelayRequestBody {
  messages: unknown;
  options?: Record<string, unknown>;
}
