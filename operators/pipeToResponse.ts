import * as t from 'io-ts';
import type { OperatorFunction } from 'rxjs';
import { checkConfig } from '../lib/codec/checkConfig';
import { fn } from '../lib/codec/readable';
import { publicErrorFields } from '../lib/errors/publicErrorFields';
import type { Chunk } from '../lib/types/chunk';
import { respondWithEvents, type SseResponse } from './respondWithEvents';

export type { SseResponse } from './respondWithEvents';

export const PipeToResponseConfig = t.partial(
  {
    /** the server's own log of a failed stream (default: one line on `console.error`: the error's name and message, which hold no secret) */
    onError: fn<(error: unknown) => void>('a function (error) => void'),
  },
  'PipeToResponseConfig',
);
export type PipeToResponseConfig = t.TypeOf<typeof PipeToResponseConfig>;

const logToConsole = (error: unknown) => {
  const { name, message } = publicErrorFields(error);
  console.error(`rxllm pipeToResponse: the stream failed: ${name}: ${message}`);
};

/**
 * Streams chunks to a plain Node / Express response as server-sent events (see
 * `toServerSentEvents`) once subscribed. The headers go out with the first event, so that a stream
 * that fails before its first chunk is answered with the failure's HTTP status (the provider's own
 * for an `HttpError`, 400 for a `ConfigError`, 404 for an unknown stored stream, else 502) and a JSON
 * body `{ error: { name, message, retryable, status? } }` (see `respondWithEvents`),
 * not with a 200; a failure after it is an `error` event, as before. Either way the server hears of it
 * (`onError`, by default a line on `console.error`). When the client goes away, the upstream
 * subscription ends and with it the request to the provider (its socket closes); when the stream
 * ends, the response ends. The returned Observable emits nothing and completes when the response is over.
 *
 * ```
 * chunks:   --a--b--|
 * pipeToResponse(res)       (res: 200, id 0 / id 1 / event done, then end)
 * result:   --------|
 * ```
 *
 * @example
 * app.get('/chat', (req, res) => {
 *   streamChat$('anthropic', [{ role: 'user', content: String(req.query.q) }]).pipe(pipeToResponse(res, { onError: (e) => log.warn(e) })).subscribe();
 * });
 *
 * @param res the response to write to
 */
export function pipeToResponse(res: SseResponse, config: PipeToResponseConfig = {}): OperatorFunction<Chunk, never> {
  const { onError = logToConsole } = checkConfig(PipeToResponseConfig, config, 'pipeToResponse config');
  return respondWithEvents(res, onError);
}
