import type { Route, RouteInput, RouteResult } from '../route';
import { behindAzureGateway } from './azureAccess';
import { apiVersionRefusal } from './azureApiVersion';
import { azureFrames } from './azureWire';
import { openaiInvalidRequest } from './openaiFaults';
import { answerChatCompletions } from './openaiRoute';

/**
 * Azure OpenAI's Chat Completions in the v1 form (`POST /openai/v1/chat/completions`): OpenAI's request
 * and answer (see `answerChatCompletions`), the deployment's name as `model` and reported as the
 * model (Azure reports the deployed model's own name, e.g. `gpt-5-nano-2025-08-07` for a deployment
 * of the model router; the mock has no model behind the name), the stream wrapped in Azure's content
 * filter (see `azureFrames`). Behind Azure's gateway (see `behindAzureGateway`): no `api-key` and no
 * `Authorization: Bearer …` → 401, and `status` faults answer Azure's error bodies.
 */
export const azureChatRoute: Route = behindAzureGateway({
  answer: (input) => answerAzure(input, input.body.model),
  invalidRequest: openaiInvalidRequest,
});

/**
 * Azure OpenAI's Chat Completions in the dated form (`POST /openai/deployments/{deployment}/chat/completions?api-version=2024-10-21`):
 * as `azureChatRoute`, the deployment taken from the path (a `model` in the body is ignored, as Azure
 * does). Refuses a request without `api-version` (404 `Resource not found`) or with one that is not a
 * dated version (400 `API version not supported`), see `apiVersionRefusal`.
 */
export const azureDeploymentChatRoute: Route = behindAzureGateway({
  answer: (input) => apiVersionRefusal(input.query) ?? answerAzure(input, input.params.deployment),
  invalidRequest: openaiInvalidRequest,
});

/** OpenAI's answer for `deployment`, its stream as Azure writes it. */
function answerAzure(input: RouteInput, deployment: unknown): RouteResult {
  const body = typeof deployment === 'string' && deployment !== '' ? { ...input.body, model: deployment } : input.body;
  const result = answerChatCompletions({ ...input, body });
  if (!('stream' in result)) return result;
  const includeUsage = (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  return { ...azureFrames(result, { includeUsage }), contentType: result.contentType };
}
