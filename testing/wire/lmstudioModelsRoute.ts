import type { IncomingHttpHeaders } from 'node:http';
import type { Route, RouteInput, RouteResult } from '../route';
import { lmstudioErrorBody, lmstudioInvalidRequest } from './lmstudioFaults';

/** The models the mock LM Studio has downloaded, unless the header `x-mock-models` lists others. */
const DEFAULT_MODELS = ['qwen/qwen3-4b', 'google/gemma-3-4b', 'text-embedding-nomic-embed-text-v1.5'];

/** One downloaded model and whether it is loaded. */
interface MockLocalModel {
  id: string;
  loaded: boolean;
}

const listHeader = (headers: IncomingHttpHeaders, name: string): string[] | undefined => {
  const value = headers[name];
  return typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
};

/**
 * The mock server's LM Studio models: those of the header `x-mock-models` (comma-separated), else
 * `qwen/qwen3-4b`, `google/gemma-3-4b` and an embedding model; all loaded except those the header
 * `x-mock-unloaded-models` names.
 */
function localModels(headers: IncomingHttpHeaders): MockLocalModel[] {
  const unloaded = new Set(listHeader(headers, 'x-mock-unloaded-models') ?? []);
  return (listHeader(headers, 'x-mock-models') ?? DEFAULT_MODELS).map((id) => ({ id, loaded: !unloaded.has(id) }));
}

/** `x-mock-lmstudio-legacy: 1`: a server without the REST API v0 (LM Studio before 0.3.6, or another OpenAI-compatible server). */
const isLegacy = (headers: IncomingHttpHeaders) => headers['x-mock-lmstudio-legacy'] === '1';

/**
 * LM Studio's REST API model list (`GET /api/v0/models`): every downloaded model with its `state`,
 * `"loaded"` or `"not-loaded"`, and its type, quantization and context length, as LM Studio ≥ 0.3.6
 * answers. A legacy server (`x-mock-lmstudio-legacy: 1`) answers 404 with LM Studio's error text.
 *
 * @example
 * await fetch(`${server.url}/api/v0/models`, { headers: { 'x-mock-unloaded-models': 'qwen/qwen3-4b' } });
 * // { object: 'list', data: [{ id: 'qwen/qwen3-4b', state: 'not-loaded', … }, …] }
 */
export const lmstudioNativeModelsRoute: Route = {
  answer: ({ headers }: RouteInput): RouteResult => {
    if (isLegacy(headers)) return { status: 404, json: { error: 'Unexpected endpoint or method. (GET /api/v0/models)' } };
    const data = localModels(headers).map(({ id, loaded }) => {
      const embedding = id.startsWith('text-embedding');
      return {
        id,
        object: 'model',
        type: embedding ? 'embeddings' : 'llm',
        publisher: id.includes('/') ? id.split('/')[0] : 'lmstudio-community',
        arch: embedding ? 'nomic-bert' : id.split('/').pop()!.split('-')[0],
        compatibility_type: 'gguf',
        quantization: 'Q4_K_M',
        state: loaded ? 'loaded' : 'not-loaded',
        max_context_length: embedding ? 2048 : 32768,
      };
    });
    return { json: { object: 'list', data } };
  },
  errorBody: lmstudioErrorBody,
  invalidRequest: lmstudioInvalidRequest,
};

/**
 * The OpenAI-compatible model list (`GET /v1/models`) as the mock LM Studio answers it: the loaded
 * models only, `{ id, object: 'model', owned_by }`, no state.
 *
 * @example
 * await fetch(`${server.url}/v1/models`); // { object: 'list', data: [{ id: 'qwen/qwen3-4b', object: 'model', owned_by: 'organization_owner' }, …] }
 */
export const lmstudioModelsRoute: Route = {
  answer: ({ headers }: RouteInput): RouteResult => ({
    json: {
      object: 'list',
      data: localModels(headers)
        .filter(({ loaded }) => loaded)
        .map(({ id }) => ({ id, object: 'model', owned_by: 'organization_owner' })),
    },
  }),
  errorBody: lmstudioErrorBody,
  invalidRequest: lmstudioInvalidRequest,
};
