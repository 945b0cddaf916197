import type { IncomingHttpHeaders } from 'node:http';
import type { Route, RouteInput, RouteResult } from '../route';
import { AZURE_ACCESS_DENIED, azureErrorBody, azureRefusal } from './azureFaults';

/**
 * Whether a request carries credentials as Azure OpenAI takes them: a key in `api-key`, or
 * `Authorization: Bearer …` (a Microsoft Entra ID token; the v1 API takes the key so too). The mock
 * takes any non-empty value: it checks that credentials are sent, and how, not what they are.
 */
export function hasAzureCredentials(headers: IncomingHttpHeaders): boolean {
  const key = headers['api-key'];
  if (typeof key === 'string' && key.trim() !== '') return true;
  return /^Bearer\s+\S/i.test(headers.authorization ?? '');
}

/**
 * `route` behind Azure's gateway: a request without credentials (see `hasAzureCredentials`) is refused
 * with 401 and Azure's body (`{ error: { code: '401', message: 'Access denied due to invalid subscription
 * key or wrong API endpoint. …' } }`) before the route sees it, and `status` faults answer Azure's error
 * bodies (see `azureErrorBody`). The rest is the route's own: its answers, and its 400s, which Azure
 * passes on from the model's API as they are.
 *
 * @example
 * const azureResponses = behindAzureGateway(responsesRoute); // the Responses API, as Azure serves it
 */
export function behindAzureGateway(route: Pick<Route, 'answer' | 'invalidRequest'>): Route {
  return {
    answer: (input: RouteInput): RouteResult => (hasAzureCredentials(input.headers) ? route.answer(input) : azureRefusal(401, AZURE_ACCESS_DENIED)),
    errorBody: azureErrorBody,
    invalidRequest: route.invalidRequest,
  };
}
