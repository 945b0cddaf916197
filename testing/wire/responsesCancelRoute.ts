import type { Route, RouteInput, RouteResult } from '../route';
import { BACKGROUND_RESPONSES } from './backgroundResponses';
import { openaiErrorBody, openaiInvalidRequest } from './openaiFaults';
import { responseNotFound, responsesBadRequest } from './responsesErrors';

/**
 * `POST /v1/responses/{id}/cancel` of a background response: the response is `cancelled`, and the
 * answer is its object so. Cancelling it again answers the same (the API's cancel is idempotent). The
 * mock model answers at once, so the response is taken to have been running until then: the cancel
 * always finds it to cancel (api.openai.com answers a response that had finished unchanged), and its
 * stream, streamed again, is the whole answer as it was kept. Tests count the cancels in
 * `server.requests`. Refuses a foreground response the server answered (400 `Cannot cancel a
 * synchronous response.`), and an id it does not know (404 `Response with id '…' not found.`).
 *
 * @example
 * await (await fetch(`${server.url}/v1/responses/${id}/cancel`, { method: 'POST' })).json(); // { id, object: 'response', status: 'cancelled', … }
 */
export const responsesCancelRoute: Route = {
  answer: cancelResponse,
  errorBody: openaiErrorBody,
  invalidRequest: openaiInvalidRequest,
};

function cancelResponse({ params, memory }: RouteInput): RouteResult {
  const responses = memory.recall(BACKGROUND_RESPONSES);
  const kept = responses.kept.get(params.id);
  if (kept) {
    kept.object = { ...kept.object, status: 'cancelled' };
    return { json: kept.object };
  }
  if (responses.foreground.has(params.id)) return responsesBadRequest('Cannot cancel a synchronous response.', null);
  return responseNotFound(params.id);
}
