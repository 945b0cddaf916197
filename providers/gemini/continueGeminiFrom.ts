import type { HttpRequest } from '../../lib/transport/httpRequest';

/**
 * The same Gemini request with a top-level `continuationToken`: the next hop of an answer that
 * ended with `finishReason: "CONTINUATION"`, or an exact resume from a checkpoint token.
 *
 * @example
 * continueGeminiFrom(request, 'CiQ…').body; // { ...request.body, continuationToken: 'CiQ…' }
 */
export function continueGeminiFrom(request: HttpRequest, token: string): HttpRequest {
  return { ...request, body: { ...(request.body as Record<string, unknown>), continuationToken: token } };
}
