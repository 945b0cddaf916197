import type { HttpRequest } from '../../lib/transport/httpRequest';

/** A checkpoint of a background response: its id and the `sequence_number` of the last event delivered. */
export interface ResponsesCheckpoint {
  responseId: string;
  sequenceNumber: number;
}

/** The token a chunk carries in `metadata.continuationToken`: `<response id>@<sequence number>`. */
export const toResponsesToken = ({ responseId, sequenceNumber }: ResponsesCheckpoint): string => `${responseId}@${sequenceNumber}`;

/** The checkpoint a token names; `undefined` for a token this provider did not make. */
export function fromResponsesToken(token: string): ResponsesCheckpoint | undefined {
  const at = token.lastIndexOf('@');
  const sequenceNumber = Number(token.slice(at + 1));
  if (at <= 0 || !Number.isInteger(sequenceNumber) || sequenceNumber < 0) return undefined;
  return { responseId: token.slice(0, at), sequenceNumber };
}

/** `{base}/responses/{id}?stream=true&starting_after=N`: a resumed stream of a background response. */
const RESUME_PATH = /\/responses\/([^/?#]+)\?(?:[^#]*&)?starting_after=(\d+)/;

/** The checkpoint a request resumes from, when it is a resumed stream (`continueResponsesFrom`'s GET). */
export function resumedFrom(request: HttpRequest | undefined): ResponsesCheckpoint | undefined {
  const match = request?.method === 'GET' ? RESUME_PATH.exec(request.url) : null;
  return match ? { responseId: decodeURIComponent(match[1]), sequenceNumber: Number(match[2]) } : undefined;
}

/**
 * A request about the response that `request` created (or resumed): `{base}/responses/{id}{suffix}`
 * at the same base URL, with the same headers and credentials (authentication included) and no body.
 */
export function responseRequest(request: HttpRequest, responseId: string, suffix: string, method: HttpRequest['method']): HttpRequest {
  const base = request.url.slice(0, request.url.lastIndexOf('/responses'));
  const headers = { ...request.headers };
  delete headers['content-type'];
  const about: HttpRequest = { url: `${base}/responses/${encodeURIComponent(responseId)}${suffix}`, method, headers };
  // a token made per request (Azure's Entra ID) is made for this one too
  if (request.credentials) about.credentials = request.credentials;
  return about;
}

/**
 * The stream of a background response again, from after the checkpoint a token names: `GET
 * {base}/responses/{id}?stream=true&starting_after=N`, with the same headers (authentication
 * included) and no body. `request` is the request that created the response, or an earlier resume.
 * A token it did not make is refused (`TypeError`): that is a bug, not a condition of the stream.
 *
 * @example
 * continueResponsesFrom({ url: 'https://api.openai.com/v1/responses', method: 'POST', headers, body }, 'resp_1@41').url;
 * // 'https://api.openai.com/v1/responses/resp_1?stream=true&starting_after=41'
 */
export function continueResponsesFrom(request: HttpRequest, token: string): HttpRequest {
  const checkpoint = fromResponsesToken(token);
  if (!checkpoint) throw new TypeError(`openai-responses: not a checkpoint of a background response: ${JSON.stringify(token)}`);
  return responseRequest(request, checkpoint.responseId, `?stream=true&starting_after=${checkpoint.sequenceNumber}`, 'GET');
}
