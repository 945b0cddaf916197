import type { HttpRequest } from '../../lib/transport/httpRequest';
import { LMSTUDIO_V1_CHAT_PATH } from './buildLMStudioV1Request';

/**
 * Whether a request went to REST v1's `/api/v1/chat` (a query string aside): the LM Studio
 * provider decodes its answer with the v1 decoder, any other with the Chat Completions one. No
 * request (a decoder made by hand) is not v1.
 *
 * @example
 * isLMStudioV1Request({ url: 'http://localhost:1234/api/v1/chat', method: 'POST', headers: {} }); // true
 * isLMStudioV1Request({ url: 'http://localhost:1234/api/v0/chat/completions', method: 'POST', headers: {} }); // false
 */
export function isLMStudioV1Request(request: HttpRequest | undefined): boolean {
  if (request === undefined) return false;
  const { url } = request;
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)).endsWith(LMSTUDIO_V1_CHAT_PATH);
}
