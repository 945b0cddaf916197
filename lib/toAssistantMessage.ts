import type { ChatMessage, ChatToolCall } from './types/chatMessage';
import type { ChatResponse } from './types/chatResponse';
import type { ThinkingBlock } from './types/thinkingBlock';

/**
 * The assistant turn to send back after an answer, carrying what each API needs to go on with a
 * tool conversation: the text; the tool calls, each with its id, name and arguments as sent (a
 * custom tool's input, Gemini's `thoughtSignature` on the call it came with, the Responses API's
 * output item id); and the answer's `metadata.thinkingBlocks`, in order: Anthropic's thinking and
 * redacted-thinking blocks with their signatures, which go before the tool calls, and the Responses
 * API's reasoning items, each of which goes right before the item that followed it. Append it, then
 * one `tool` message per call.
 *
 * @example
 * const answer = await lastValueFrom(streamChat$('anthropic', messages, { tools, thinking: { budgetTokens: 2048 } }).pipe(toResponse()));
 * messages.push(toAssistantMessage(answer), ...answer.toolCalls.map((call) => ({ role: 'tool', toolCallId: call.id, content: run(call) })));
 */
export function toAssistantMessage(response: ChatResponse): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content: response.content === '' ? null : response.content };
  if (response.toolCalls.length > 0) {
    message.toolCalls = response.toolCalls.map((call) => {
      const sent: ChatToolCall = { id: call.id, name: call.name, arguments: call.argumentsText };
      if (call.thoughtSignature) sent.thoughtSignature = call.thoughtSignature;
      if (call.custom) sent.custom = true;
      if (call.itemId) sent.itemId = call.itemId;
      return sent;
    });
  }
  const thinking = response.metadata.thinkingBlocks as ThinkingBlock[] | undefined;
  if (Array.isArray(thinking) && thinking.length > 0) message.thinkingBlocks = thinking;
  return message;
}
