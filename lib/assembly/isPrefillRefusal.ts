import { isHttpError } from '../errors/httpError';

/**
 * Whether `error` is an API's refusal of an assistant prefill: HTTP 400 saying that the model does
 * not support it or that the conversation must end with a user message (Claude 4.6 and later:
 * "This model does not support assistant message prefill. The conversation must end with a user
 * message.").
 *
 * @example
 * isPrefillRefusal(error) && retryInInstructionForm();
 */
export function isPrefillRefusal(error: unknown): boolean {
  if (!isHttpError(error) || error.status !== 400) return false;
  return /prefill|must end with a user message/i.test(error.message);
}
