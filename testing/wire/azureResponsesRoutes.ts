import { behindAzureGateway } from './azureAccess';
import { responsesCancelRoute } from './responsesCancelRoute';
import { responsesRetrieveRoute } from './responsesRetrieveRoute';
import { responsesRoute } from './responsesRoute';

/**
 * The Responses API as Azure OpenAI's v1 form serves it (`/openai/v1/responses`, the deployment's name
 * as `model`): OpenAI's routes as they are — background responses kept, streamed again and cancelled
 * under `/openai/v1/responses/{id}` — behind Azure's gateway (see `behindAzureGateway`: 401 without a
 * key or token, Azure's error bodies for `status` faults). Azure's additions to the response object
 * (`content_filters`, null until `response.completed` lists the filter's verdicts) are not written.
 */
export const azureResponsesRoute = behindAzureGateway(responsesRoute);

/** `GET /openai/v1/responses/{id}`: `responsesRetrieveRoute` behind Azure's gateway. */
export const azureResponsesRetrieveRoute = behindAzureGateway(responsesRetrieveRoute);

/** `POST /openai/v1/responses/{id}/cancel`: `responsesCancelRoute` behind Azure's gateway. */
export const azureResponsesCancelRoute = behindAzureGateway(responsesCancelRoute);
