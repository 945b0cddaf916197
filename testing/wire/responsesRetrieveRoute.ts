import type { Route, RouteInput, RouteResult } from '../route';
import { BACKGROUND_RESPONSES } from './backgroundResponses';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';
import { responseNotFound, responsesBadRequest } from './responsesErrors';
import { responsesFramesAfter } from './responsesFramesAfter';
import { RESPONSES_STREAM_TYPE } from './responsesWire';

/**
 * `GET /v1/responses/{id}` of a background response: with `stream=true`, its stream again — the
 * events numbered after `starting_after` (all of them without it), byte for byte as the request that
 * created it wrote them, so a client that lost its connection resumes exactly where it was; without
 * `stream`, its response object as it stands (`completed`, or `cancelled`). The server's faults apply
 * as on every route, so a resumed stream can break too. Past the last event, the stream is empty and
 * ends at once. Answers 404 (`Response with id '…' not found.`) for an id it does not know and for a
 * foreground response (the mock keeps only background ones; api.openai.com retrieves a stored
 * foreground one without `stream`), and 400 for a `starting_after` that is not a whole number ≥ 0.
 *
 * @example
 * await fetch(`${server.url}/v1/responses/${id}?stream=true&starting_after=41`); // events 42, 43, … to response.completed
 */
export const responsesRetrieveRoute: Route = {
  answer: retrieveResponse,
  errorBody: openaiErrorBody,
  invalidRequest: openaiInvalidRequest,
};

function retrieveResponse({ params, query, memory }: RouteInput): RouteResult {
  const kept = memory.recall(BACKGROUND_RESPONSES).kept.get(params.id);
  if (!kept) return responseNotFound(params.id);
  if (query.get('stream') !== 'true') return { json: kept.object };
  const after = query.get('starting_after') ?? '-1';
  if (!/^-1$|^\d+$/.test(after)) {
    return responsesBadRequest(`Invalid 'starting_after': expected a non-negative integer, but got ${JSON.stringify(after)} instead.`, 'starting_after');
  }
  return { ...responsesFramesAfter(kept.stream, Number(after)), contentType: RESPONSES_STREAM_TYPE };
}
