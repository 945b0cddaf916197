/**
 * A failure the mock server injects into one answer, to test how a client survives it. Byte
 * positions count body bytes (not HTTP framing), so a cut can fall inside a multi-byte character
 * or inside an SSE line; chunk positions count the frames that carry the answer (see
 * `StreamResult.contentFrames`).
 *
 * - `reset`: close the connection after exactly `afterBytes` body bytes (the response never ends).
 * - `stall`: pause the body for `ms` after `afterBytes` bytes, then go on.
 * - `status`: answer HTTP `status` before any body, with the API's own error body, and a
 *   `retry-after` header when `retryAfter` is given (Gemini also puts it in a `RetryInfo` detail).
 * - `error-event`: the API's in-stream error after `afterChunks` content frames, then end the body.
 * - `malformed`: one frame whose JSON is broken after `afterChunks` content frames, then the rest.
 * - `truncate`: end the body after the content, without the finish / usage / terminator frames.
 * - `cut`: the answer's text stops after exactly its first `afterChars` characters (a string index
 *   into the text this request streams — for a continuation, the continuation's; moved past a
 *   surrogate pair it would split): the piece that spans that point is split there, reasoning
 *   before the text stays, and no tool call, finish reason, usage or terminator follows — the
 *   connection closes right after the last content frame, as a `reset` does.
 * - `hang`: accept the request and never answer (until the client goes away or the server closes).
 * - `close-before-headers`: close the connection without answering.
 * - `proxy-page`: answer 200 with an HTML sign-in page (`text/html`), as an authenticating proxy or
 *   a captive portal does, on any path — no stream at all.
 * - `unstreamed`: answer as if the request had not asked for a stream (`stream: false`, Gemini
 *   without `alt=sse`): the API's whole JSON answer, `application/json`, with status 200 — as a
 *   proxy or gateway that drops `stream: true` makes it answer.
 *
 * `error-event`, `malformed`, `truncate` and `cut` break frames, so they apply to streamed answers only: a
 * plain JSON answer (a non-streaming request, a 400) is sent clean and records no fault. A `status`
 * fault needs a known path: an unknown one still gets its 404.
 *
 * @example
 * server.queueFaults({ kind: 'status', status: 429, retryAfter: '1' }, null); // attempt 1 fails, attempt 2 is clean
 * server.queueFaults({ kind: 'cut', afterChars: 120 }); // the next answer breaks off right after its 120th character
 * fetch(url, { headers: { 'x-mock-fault': JSON.stringify({ kind: 'reset', afterBytes: 100 }) }, ... });
 */
export type MockFault =
  | { kind: 'reset'; afterBytes: number }
  | { kind: 'stall'; afterBytes: number; ms: number }
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'error-event'; afterChunks: number }
  | { kind: 'malformed'; afterChunks: number }
  | { kind: 'truncate' }
  | { kind: 'cut'; afterChars: number }
  | { kind: 'hang' }
  | { kind: 'close-before-headers' }
  | { kind: 'proxy-page' }
  | { kind: 'unstreamed' };

/** The `status` fault: what a route needs to write its error body. */
export type MockStatusFault = Extract<MockFault, { kind: 'status' }>;

const count = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/**
 * Checks a fault that comes from outside the type system (the `x-mock-fault` header, a JavaScript
 * caller) and returns it; throws a `TypeError` that says what to pass.
 *
 * @example
 * asMockFault(JSON.parse('{"kind":"truncate"}')); // { kind: 'truncate' }
 * asMockFault({ kind: 'reset' }); // TypeError: a reset fault needs afterBytes, a whole number ≥ 0
 */
export function asMockFault(value: unknown): MockFault {
  const fault = value as Partial<Record<string, unknown>> | null;
  if (fault === null || typeof fault !== 'object' || Array.isArray(fault)) throw new TypeError(`a mock fault is an object with a kind, got ${JSON.stringify(value)}`);
  const need = (field: string, what: string): never => {
    throw new TypeError(`a ${String(fault.kind)} fault needs ${field}, ${what}; got ${JSON.stringify(fault[field])}`);
  };
  switch (fault.kind) {
    case 'reset':
      if (!count(fault.afterBytes)) need('afterBytes', 'a whole number ≥ 0');
      return { kind: 'reset', afterBytes: fault.afterBytes as number };
    case 'stall':
      if (!count(fault.afterBytes)) need('afterBytes', 'a whole number ≥ 0');
      if (typeof fault.ms !== 'number' || !Number.isFinite(fault.ms) || fault.ms < 0) need('ms', 'a number of milliseconds ≥ 0');
      return { kind: 'stall', afterBytes: fault.afterBytes as number, ms: fault.ms as number };
    case 'status': {
      if (!count(fault.status) || fault.status < 400 || fault.status > 599) need('status', 'an HTTP error status from 400 to 599');
      if (fault.retryAfter !== undefined && typeof fault.retryAfter !== 'string') need('retryAfter', 'the retry-after header value as a string');
      const status: MockStatusFault = { kind: 'status', status: fault.status as number };
      if (fault.retryAfter !== undefined) status.retryAfter = fault.retryAfter as string;
      return status;
    }
    case 'error-event':
    case 'malformed':
      if (!count(fault.afterChunks)) need('afterChunks', 'a whole number ≥ 0');
      return { kind: fault.kind, afterChunks: fault.afterChunks as number };
    case 'cut':
      if (!count(fault.afterChars)) need('afterChars', 'a whole number ≥ 0');
      return { kind: 'cut', afterChars: fault.afterChars as number };
    case 'truncate':
    case 'hang':
    case 'close-before-headers':
    case 'proxy-page':
    case 'unstreamed':
      return { kind: fault.kind };
    default:
      throw new TypeError(
        `unknown mock fault kind ${JSON.stringify(fault.kind)}: use reset, stall, status, error-event, malformed, truncate, cut, hang, close-before-headers, proxy-page or unstreamed`,
      );
  }
}
