import { ConfigError } from '../../lib/errors/configError';
import { describePart } from '../../lib/errors/unsupportedPart';
import { messageText } from '../../lib/messageText';
import type { ResolvedOptions } from '../../lib/provider';
import type { HttpRequest } from '../../lib/transport/httpRequest';
import type { ChatMessage } from '../../lib/types/chatMessage';
import type { LMStudioOptions } from './lmstudioOptions';

/** The path of LM Studio's native REST v1 chat endpoint. */
export const LMSTUDIO_V1_CHAT_PATH = '/api/v1/chat';

/**
 * Why a request cannot go to REST v1, or `undefined` when it can. `/api/v1/chat` takes one user
 * turn (`input`) and a `system_prompt`, nothing else: no assistant turns ("Include assistant
 * messages in the request ❌") and no tools of the client's own ("Custom tools ❌") — the
 * comparison table of lmstudio.ai/docs/developer/rest.
 *
 * @example
 * lmstudioV1Refusal([{ role: 'user', content: 'Hi' }], {}); // undefined
 * lmstudioV1Refusal([{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello' }, { role: 'user', content: 'Go on' }], {});
 * // { path: 'messages.1.role', expected: 'system or user (…)', got: 'assistant' }
 */
export function lmstudioV1Refusal(messages: readonly ChatMessage[], options: { tools?: readonly unknown[]; output?: unknown }): { path: string; expected: string; got: string } | undefined {
  if (options.output !== undefined) {
    return { path: 'output', expected: "none (LM Studio's /api/v1/chat documents no response format; use native: 'v0' or the compatible endpoint)", got: 'an output schema' };
  }
  if (options.tools?.length) {
    return { path: 'tools', expected: "none (LM Studio's /api/v1/chat takes no tools of the client's own; use native: 'v0')", got: `${options.tools.length} tool(s)` };
  }
  let users = 0;
  for (let i = 0; i < messages.length; i++) {
    const role = messages[i].role;
    const { content } = messages[i];
    const part = Array.isArray(content) ? content.find((p) => p.type !== 'text') : undefined;
    if (part) {
      const at = (content as readonly unknown[]).indexOf(part);
      return { path: `messages.${i}.content.${at}`, expected: "text (rxllm sends no images or files to LM Studio's /api/v1/chat yet; use native: 'v0')", got: describePart(part) };
    }
    if (role === 'user') users++;
    else if (role !== 'system') {
      return { path: `messages.${i}.role`, expected: "system or user (LM Studio's /api/v1/chat takes no earlier answers or tool results; use native: 'v0')", got: role };
    }
  }
  if (users === 0) return { path: 'messages', expected: "a user message (the input of LM Studio's /api/v1/chat)", got: 'none' };
  return undefined;
}

/**
 * The `POST {baseURL}/api/v1/chat` request of LM Studio's native REST v1 API
 * (lmstudio.ai/docs/developer/rest/chat): `model`; the user turns as `input` (the text of one, or
 * `[{ type: 'message', content }, …]` for several); the system messages joined by a blank line as
 * `system_prompt`; `stream: true`; `store: false` (rxllm sends the whole conversation each time
 * and reads no `response_id`, so nothing is left stored on the server — `extraBody: { store: true }`
 * keeps it); `temperature`; `maxTokens` as `max_output_tokens`; `extraBody` merged last
 * (`reasoning`, `context_length`, `integrations`, …). A conversation v1 cannot take (see
 * `lmstudioV1Refusal`) fails with `ConfigError`.
 *
 * @example
 * buildLMStudioV1Request([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }], { model: 'qwen/qwen3-4b', baseURL: 'http://localhost:1234' });
 * // → POST http://localhost:1234/api/v1/chat { model: 'qwen/qwen3-4b', input: 'Hi', system_prompt: 'Be brief.', stream: true, store: false }
 */
export function buildLMStudioV1Request(messages: readonly ChatMessage[], options: ResolvedOptions<LMStudioOptions>): HttpRequest {
  const refusal = lmstudioV1Refusal(messages, options);
  if (refusal) throw new ConfigError('request for LM Studio /api/v1/chat', [refusal]);
  const system: string[] = [];
  const user: string[] = [];
  for (const m of messages) (m.role === 'system' ? system : user).push(messageText(m));
  const body: Record<string, unknown> = {
    model: options.model,
    input: user.length === 1 ? user[0] : user.map((content) => ({ type: 'message', content })),
  };
  if (system.length > 0) body.system_prompt = system.join('\n\n');
  body.stream = true;
  body.store = false;
  if (options.temperature !== undefined) body.temperature = options.temperature;
  if (options.maxTokens !== undefined) body.max_output_tokens = options.maxTokens;
  if (options.extraBody) Object.assign(body, options.extraBody);
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.headers) Object.assign(headers, options.headers);
  return { url: options.baseURL.replace(/\/+$/, '') + LMSTUDIO_V1_CHAT_PATH, method: 'POST', headers, body };
}
