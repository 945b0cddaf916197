import type { Route } from './route';
import { perplexityRoute } from './wire/perplexityRoute';
import { lmstudioNativeRoute } from './wire/lmstudioNativeRoute';
import { lmstudioV1Route } from './wire/lmstudioV1Route';
import { lmstudioModelsRoute, lmstudioNativeModelsRoute } from './wire/lmstudioModelsRoute';
import { openaiRoute } from './wire/openaiRoute';
import { openaiModerationRoute } from './wire/openaiModerationRoute';
import { responsesRoute } from './wire/responsesRoute';
import { responsesRetrieveRoute } from './wire/responsesRetrieveRoute';
import { responsesCancelRoute } from './wire/responsesCancelRoute';
import { anthropicRoute } from './wire/anthropicRoute';
import { ollamaRoute } from './wire/ollamaRoute';
import { geminiRoute } from './wire/geminiRoute';
import { azureChatRoute, azureDeploymentChatRoute } from './wire/azureChatRoute';
import { azureResponsesCancelRoute, azureResponsesRetrieveRoute, azureResponsesRoute } from './wire/azureResponsesRoutes';

/**
 * The mock server's routes: `METHOD /path`, where a `{name}` segment matches anything up to the
 * next `/` or `:` and is passed to the route in `params`.
 */
export const routes: Record<string, Route> = {
  'POST /v1/chat/completions': openaiRoute,
  'POST /v1/responses': responsesRoute,
  'GET /v1/responses/{id}': responsesRetrieveRoute,
  'POST /v1/responses/{id}/cancel': responsesCancelRoute,
  'POST /v1/moderations': openaiModerationRoute,
  'POST /chat/completions': perplexityRoute,
  'POST /api/v0/chat/completions': lmstudioNativeRoute,
  'POST /api/v1/chat': lmstudioV1Route,
  'GET /api/v0/models': lmstudioNativeModelsRoute,
  'GET /v1/models': lmstudioModelsRoute,
  'POST /v1/messages': anthropicRoute,
  'POST /api/chat': ollamaRoute,
  'POST /v1beta/models/{model}:streamGenerateContent': geminiRoute,
  'POST /openai/v1/chat/completions': azureChatRoute,
  'POST /openai/v1/responses': azureResponsesRoute,
  'GET /openai/v1/responses/{id}': azureResponsesRetrieveRoute,
  'POST /openai/v1/responses/{id}/cancel': azureResponsesCancelRoute,
  'POST /openai/deployments/{deployment}/chat/completions': azureDeploymentChatRoute,
};
