import type { ChatMessage } from '../../lib/types/chatMessage';
import { lmstudioV1Refusal } from './buildLMStudioV1Request';
import type { LMStudioOptions } from './lmstudioOptions';

/**
 * Which of LM Studio's APIs a request goes to: `'v1'` (`POST /api/v1/chat`), or `'compatible'` — a
 * Chat Completions stream, at `/api/v0/chat/completions` when `native` is set, else
 * `/v1/chat/completions` (see `lmstudioPath`). `native: 'v1'` is always v1 (a request v1 cannot take
 * then fails with `ConfigError`); `native: true` is v1 when the request fits it — a system prompt
 * and user turns, no tools — and v0 otherwise, so that a conversation with earlier answers, a tool
 * round or a recovery's continuation still reaches LM Studio's stats.
 *
 * @example
 * lmstudioEndpoint([{ role: 'user', content: 'Hi' }], { native: true }); // 'v1'
 * lmstudioEndpoint([{ role: 'user', content: 'Hi' }], { native: 'v0' }); // 'compatible' (POST /api/v0/chat/completions)
 */
export function lmstudioEndpoint(messages: readonly ChatMessage[], options: LMStudioOptions & { tools?: readonly unknown[]; output?: unknown }): 'v1' | 'compatible' {
  const native = options.native;
  if (native === 'v1') return 'v1';
  if (native === true) return lmstudioV1Refusal(messages, options) ? 'compatible' : 'v1';
  return 'compatible';
}
