import { prepareRequest as prepare, type PreparedRequest } from '../../lib/assembly/prepareRequest';
import { getProvider } from '../../lib/assembly/registry';

/**
 * What `streamChat$` checks and builds for a call by provider id, before sending: the request as the
 * registry's provider builds it (throws `ConfigError` as the call would fail with).
 *
 * @example
 * prepareRequest('mistral', [{ role: 'user', content: 'Hi' }], { apiKey: 'k' }).request.body;
 */
export function prepareRequest(id: string, messages: unknown, options: unknown): PreparedRequest {
  const provider = getProvider(id);
  if (!provider) throw new Error(`no provider '${id}' in the registry`);
  return prepare(provider, messages, options);
}
