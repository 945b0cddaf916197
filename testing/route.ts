import type { IncomingHttpHeaders } from 'node:http';
import type { AnswerHeaders } from './answerHeaders';
import type { MockStatusFault } from './mockFault';
import type { ServerMemory } from './serverMemory';

/** What a route of the mock server receives: the parsed JSON body and the request headers. */
export interface RouteInput {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** the path's parameters, e.g. `{ model: 'gemini-2.0-flash' }` for Gemini */
  params: Record<string, string>;
  /** the query string's parameters */
  query: URLSearchParams;
  /** what the `x-mock-*` headers ask of the answer, read once for every route (see `answerHeaders`) */
  answerOptions: AnswerHeaders;
  /**
   * a `cut` fault's `afterChars`: a streamed answer breaks off after that many characters of the text
   * this request streams (see `cutTurn`); a plain JSON answer ignores it
   */
  cut?: number;
  /** what this server keeps from one request to the next (see `ServerMemory`): the routes of a stateful API keep their state there */
  memory: ServerMemory;
}

/**
 * A stream as its wire format writes it: the frames of the clean answer (what one `write` sends,
 * paced by the server) and what the server's fault injection needs to know to break it the way
 * that API breaks.
 */
export interface FramedStream {
  stream: string[];
  /**
   * indices in `stream` of the frames that carry the answer (text, reasoning, tool-call pieces),
   * ascending; `error-event` and `malformed` faults count these. A frame that also carries the
   * finish reason (Mistral's and Gemini's last token, Ollama's `done` line) is terminal, not content.
   */
  contentFrames: number[];
  /** how many frames at the end carry the finish reason, the usage or the terminator: `truncate` leaves them out */
  terminalFrames: number;
  /** the API's error inside a 200 stream, as one frame (`data: {"error": …}`, `event: error`, an `{"error"}` line) */
  errorFrame: string;
  /**
   * the error frame of an API that numbers its events (the Responses API's `sequence_number`), given
   * how many frames of `stream` precede it, so that its number follows theirs; `errorFrame` when absent
   */
  errorFrameAfter?(frames: number): string;
  /** one frame in the stream's framing whose JSON does not parse */
  malformedFrame: string;
}

/** A streamed answer: its frames and their content type. */
export interface StreamResult extends FramedStream {
  contentType: string;
}

/** A plain JSON answer (an error body, a non-streaming completion). */
export interface JsonResult {
  json: unknown;
  status?: number;
  headers?: Record<string, string>;
}

/** A route's answer: a stream, or a plain JSON body. */
export type RouteResult = StreamResult | JsonResult;

/**
 * One endpoint of an API on the mock server: how it answers, how it says an HTTP error (the body a
 * `status` fault answers with; the server adds `retry-after`), and how it refuses a request it
 * cannot take (the 400 body the server answers an unreadable `x-mock-answer` header with).
 *
 * @example
 * const echo: Route = {
 *   answer: ({ body }) => ({ json: body }),
 *   errorBody: ({ status }) => ({ error: { message: `status ${status}` } }),
 *   invalidRequest: (message) => ({ error: { message } }),
 * };
 */
export interface Route {
  answer(input: RouteInput): RouteResult;
  errorBody(fault: MockStatusFault, input: RouteInput): unknown;
  invalidRequest(message: string, input: RouteInput): unknown;
}
