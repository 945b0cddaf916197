import { Observable } from 'rxjs';
import { streamChat$, type Chunk, type ProviderId } from '../../lib';
import { mockBaseURL, type MockServer } from '../../testing';

/** One provider's streaming route on the mock server, as `streamChat$` reaches it. */
export interface MockRoute {
  /** the test's name for it */
  label: string;
  provider: ProviderId;
  /** options beside `baseURL` and `apiKey` that choose the route (LM Studio's `native`) */
  options: Record<string, unknown>;
  /** the request path the route answers (the query string aside): a test checks that the request went there */
  path: string;
  /** false where the provider refuses an `output` option (LM Studio's REST v1 documents no response format) */
  takesOutput: boolean;
}

/**
 * Every provider's streaming route on the mock server: Chat Completions (OpenAI, Azure's v1 form,
 * Mistral, Perplexity, LM Studio's OpenAI-compatible endpoint), the Responses API (OpenAI's, Azure's),
 * Anthropic's Messages, Gemini's `streamGenerateContent`, LM Studio's REST v0 (`native: 'v0'`, where
 * `native: true` sends a request with `output`) and REST v1 (`native: 'v1'`, where `native: true`
 * sends one without), and Ollama's `/api/chat`.
 */
export const MOCK_ROUTES: readonly MockRoute[] = [
  { label: 'openai', provider: 'openai', options: {}, path: '/v1/chat/completions', takesOutput: true },
  { label: 'azure', provider: 'azure', options: {}, path: '/openai/v1/chat/completions', takesOutput: true },
  { label: 'openai-responses', provider: 'openai-responses', options: {}, path: '/v1/responses', takesOutput: true },
  { label: 'azure-responses', provider: 'azure-responses', options: {}, path: '/openai/v1/responses', takesOutput: true },
  { label: 'anthropic', provider: 'anthropic', options: {}, path: '/v1/messages', takesOutput: true },
  { label: 'gemini', provider: 'gemini', options: {}, path: '/v1beta/models/gemini-2.5-flash:streamGenerateContent', takesOutput: true },
  { label: 'mistral', provider: 'mistral', options: {}, path: '/v1/chat/completions', takesOutput: true },
  { label: 'perplexity', provider: 'perplexity', options: {}, path: '/chat/completions', takesOutput: true },
  { label: 'lmstudio (OpenAI-compatible)', provider: 'lmstudio', options: {}, path: '/v1/chat/completions', takesOutput: true },
  { label: 'lmstudio (native: v0 → REST v0)', provider: 'lmstudio', options: { native: 'v0' }, path: '/api/v0/chat/completions', takesOutput: true },
  { label: 'lmstudio (native: v1 → REST v1)', provider: 'lmstudio', options: { native: 'v1' }, path: '/api/v1/chat', takesOutput: false },
  { label: 'ollama', provider: 'ollama', options: {}, path: '/api/chat', takesOutput: true },
];

/**
 * A streamed answer on `route`: `streamChat$` with the route's options, pointed at `server`, with
 * `extra` options (the `x-mock-*` headers, `output`) merged in.
 *
 * @example
 * streamOn(server, MOCK_ROUTES[0], 'Answer in JSON.', { headers: answerHeader('{"a": 1}') }).pipe(toObject(t.unknown));
 */
export function streamOn(server: MockServer, route: MockRoute, prompt: string, extra: Record<string, unknown> = {}): Observable<Chunk> {
  const options = { baseURL: mockBaseURL(server, route.provider), apiKey: 'test-key', ...route.options, ...extra };
  return streamChat$(route.provider, [{ role: 'user', content: prompt }], options);
}

/** The path (without its query string) of the last request `server` received. */
export function lastPath(server: MockServer): string {
  const { path } = server.requests[server.requests.length - 1];
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}
