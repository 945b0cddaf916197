import type { HttpRequest } from '../../lib/transport/httpRequest';

/** What authenticates a request to Azure OpenAI: a key, or a function that makes an Entra ID token. */
export interface AzureAuthentication {
  apiKey?: string;
  azureADTokenProvider?: () => string | Promise<string>;
}

/**
 * `request`, built as for OpenAI (the key as `Authorization: Bearer`), authenticated as Azure takes
 * it: with an Entra ID token provider, a token made for every request (tokens expire) and sent as
 * `Authorization: Bearer …` through the request's `credentials`, so the transport keeps it out of
 * errors; else the key as `api-key`. Never both. Headers the caller set in `headers` stay.
 *
 * @example
 * authorizeAzure({ url, method: 'POST', headers: { authorization: 'Bearer k' } }, { apiKey: 'k' }).headers; // { 'api-key': 'k' }
 */
export function authorizeAzure(request: HttpRequest, { apiKey, azureADTokenProvider: tokenOf }: AzureAuthentication): HttpRequest {
  const headers = { ...request.headers };
  if (apiKey && headers.authorization === `Bearer ${apiKey}`) delete headers.authorization;
  const authorized: HttpRequest = { ...request, headers };
  if (tokenOf) {
    authorized.credentials = async () => {
      const token = await tokenOf();
      // an empty token would only fail on the server's 401, with a less telling message
      if (typeof token !== 'string' || token.trim() === '') throw new TypeError(`azureADTokenProvider returned no token (got ${token === '' ? 'an empty string' : typeof token})`);
      return { authorization: `Bearer ${token}` };
    };
  }
  else if (apiKey) headers['api-key'] ??= apiKey;
  return authorized;
}
