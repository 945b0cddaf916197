import { secretsOf } from '../redact';
import type { HttpRequest } from './httpRequest';

/**
 * `request` as it goes out now: the headers its `credentials` make merged over its own, and the
 * secret values among them (to keep out of every error of the stream). A request without
 * `credentials` is itself, with no new secret.
 *
 * @example
 * await withCredentials({ url, method: 'POST', headers: {}, credentials: async () => ({ authorization: `Bearer ${await token()}` }) });
 * // { request: { url, method: 'POST', headers: { authorization: 'Bearer eyJ…' } }, secrets: ['Bearer eyJ…', 'eyJ…'] }
 */
export async function withCredentials(request: HttpRequest): Promise<{ request: HttpRequest; secrets: string[] }> {
  if (!request.credentials) return { request, secrets: [] };
  const { credentials, ...sent } = request;
  const made = await credentials();
  return { request: { ...sent, headers: { ...request.headers, ...made } }, secrets: secretsOf(made) };
}
