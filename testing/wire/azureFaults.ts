import type { JsonResult } from '../route';
import type { MockStatusFault } from '../mockFault';

/** Azure OpenAI's error object: a `code` (a status as a string, or a name) and a `message`, nothing else. */
interface AzureError {
  code: string;
  message: string;
}

/**
 * What Azure's gateway answers a request without a usable key or token (401). Azure says the same
 * whether the key is missing, wrong, or sent to another resource's endpoint.
 */
export const AZURE_ACCESS_DENIED: AzureError = {
  code: '401',
  message:
    'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
};

/** What Azure says for an HTTP error status: its texts where known, its `{ code, message }` shape always. */
function azureErrorFor(status: number): AzureError {
  switch (status) {
    case 401:
      return AZURE_ACCESS_DENIED;
    case 404:
      return {
        code: 'DeploymentNotFound',
        message: 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      };
    case 429:
      return { code: '429', message: 'Requests to the ChatCompletions_Create Operation have exceeded the rate limit of your current pricing tier. Please retry after 1 second.' };
    default:
      return status >= 500
        ? { code: 'InternalServerError', message: 'The server had an error while processing your request. Sorry about that!' }
        : { code: String(status), message: `The request failed with status ${status}.` };
  }
}

/**
 * Azure OpenAI's HTTP error body for a `status` fault: `{ error: { code, message } }` — a 401 is
 * the gateway's access denied (`code: '401'`), a 404 `DeploymentNotFound`, a 429 `code: '429'`,
 * a 5xx `InternalServerError`.
 *
 * @example
 * azureErrorBody({ kind: 'status', status: 401 }).error.code; // '401'
 */
export function azureErrorBody({ status }: MockStatusFault): { error: AzureError } {
  return { error: azureErrorFor(status) };
}

/**
 * An Azure refusal as a route answers it: `status` with `{ error: { code, message } }`.
 *
 * @example
 * azureRefusal(404, { code: '404', message: 'Resource not found' }); // { status: 404, json: { error: { code: '404', … } } }
 */
export function azureRefusal(status: number, error: AzureError): JsonResult {
  return { status, json: { error } };
}
